package io.shoal.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;

/**
 * A swarm-scoped network. The store keeps the create request as {@code spec} and the allocator's
 * decisions (subnet, gateway, VNI, each node's gateway address) as {@code allocation}; the API's
 * {@code /networks} shape (Docker's NetworkResource) is made from both at the edge.
 */
public record Network(
    @JsonProperty("ID") String id,
    Version version,
    Instant createdAt,
    Instant updatedAt,
    NetworkSpec spec,
    NetworkAllocation allocation) implements StoreObject {

  /** A network the allocator has not decided anything for yet (tests, old entries). */
  public Network(String id, Version version, Instant createdAt, Instant updatedAt, NetworkSpec spec) {
    this(id, version, createdAt, updatedAt, spec, null);
  }

  public Network stamped(long index, Instant at) {
    return new Network(id, new Version(index), StoreObject.created(createdAt, at), at, spec, allocation);
  }

  public Network withAllocation(NetworkAllocation a) {
    return new Network(id, version, createdAt, updatedAt, spec, a);
  }

  public String name() {
    return spec.name();
  }

  public boolean ingress() {
    return Boolean.TRUE.equals(spec.ingress());
  }

  public Kind kind() {
    return Kind.NETWORK;
  }

  public String uniqueName() {
    return spec.name();
  }

  /** Docker's network create request, as far as swarm networks use it. */
  public record NetworkSpec(
      String name,
      String driver,
      String scope,
      Boolean internal,
      Boolean attachable,
      Boolean ingress,
      @JsonProperty("IPAM") JsonNode ipam,
      @JsonProperty("EnableIPv6") Boolean enableIPv6,
      Map<String, String> options,
      Map<String, String> labels,
      @JsonProperty("EnableIPv4") Boolean enableIPv4,
      Boolean configOnly,
      JsonNode configFrom,
      Boolean checkDuplicate) {
    public NetworkSpec {
      options = Labels.copy(options);
      labels = Labels.copy(labels);
    }

    /**
     * The fields stacks and tests set. The last four components exist because the docker CLI
     * (API 1.44+) always sends {@code ConfigOnly} and {@code ConfigFrom} and may send
     * {@code EnableIPv4}/{@code CheckDuplicate}: strict parsing must know them.
     */
    public NetworkSpec(String name, String driver, String scope, Boolean internal, Boolean attachable,
        Boolean ingress, JsonNode ipam, Boolean enableIPv6, Map<String, String> options, Map<String, String> labels) {
      this(name, driver, scope, internal, attachable, ingress, ipam, enableIPv6, options, labels, null, null, null, null);
    }
  }
}
