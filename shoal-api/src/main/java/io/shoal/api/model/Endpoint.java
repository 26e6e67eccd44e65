package io.shoal.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** What the allocator decided for a service's endpoint: the ports as published, and its VIPs. */
public record Endpoint(EndpointSpec spec, List<PortConfig> ports, @JsonProperty("VirtualIPs") List<VirtualIP> virtualIPs) {
  public Endpoint {
    ports = Labels.list(ports);
    virtualIPs = Labels.list(virtualIPs);
  }

  public List<PortConfig> portsOrEmpty() {
    return Labels.orEmpty(ports);
  }

  /** A service's address on one network. */
  public record VirtualIP(@JsonProperty("NetworkID") String networkID, String addr) {}
}
