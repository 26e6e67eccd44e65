package io.shoal.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A task's place on one network, as the allocator decided it: Docker's {@code NetworkAttachment}.
 * The store keeps the network's id only; the API edge fills {@code network} with the network
 * object in SwarmKit's shape, as Docker's {@code NetworksAttachments} shows it.
 *
 * @param addresses CIDR form, e.g. {@code 10.0.1.7/24}
 * @param aliases the service's network aliases on this network
 */
public record NetworkAttachment(
    @JsonProperty("NetworkID") String networkID, JsonNode network, List<String> addresses, List<String> aliases) {
  public NetworkAttachment {
    addresses = addresses == null ? List.of() : List.copyOf(addresses);
    aliases = aliases == null ? List.of() : List.copyOf(aliases);
  }

  public NetworkAttachment(String networkID, List<String> addresses, List<String> aliases) {
    this(networkID, null, addresses, aliases);
  }

  /** The first address without its prefix length, or null. */
  public String address() {
    if (addresses.isEmpty()) return null;
    String a = addresses.get(0);
    int slash = a.indexOf('/');
    return slash < 0 ? a : a.substring(0, slash);
  }

  /** With the network object as the API shows it (Docker's swarm Network shape). */
  public NetworkAttachment withNetwork(JsonNode n) {
    return new NetworkAttachment(networkID, n, addresses, aliases);
  }
}
