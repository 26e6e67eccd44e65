package io.shoal.api.model;

import java.util.Map;

/** A named driver with options (log driver, volume driver, network driver, IPAM driver). */
public record Driver(String name, Map<String, String> options) {
  public Driver {
    options = Labels.mapOrNull(options);
  }
}
