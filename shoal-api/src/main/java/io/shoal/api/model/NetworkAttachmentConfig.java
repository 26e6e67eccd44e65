package io.shoal.api.model;

import java.util.List;
import java.util.Map;

/** A service's attachment to a network: the network (id or name) and aliases on it. */
public record NetworkAttachmentConfig(String target, List<String> aliases, Map<String, String> driverOpts) {
  public NetworkAttachmentConfig {
    aliases = Labels.list(aliases);
    driverOpts = Labels.mapOrNull(driverOpts);
  }
}
