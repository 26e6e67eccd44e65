package io.shoal.api.model;

import java.util.List;

/** How a service is reached: {@code vip} (default) or {@code dnsrr}, and its published ports. */
public record EndpointSpec(String mode, List<PortConfig> ports) {
  public EndpointSpec {
    ports = Labels.list(ports);
  }

  public List<PortConfig> portsOrEmpty() {
    return Labels.orEmpty(ports);
  }
}
