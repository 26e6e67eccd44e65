package io.shoal.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;

/**
 * A machine in the swarm. {@code spec} is the user's (role, availability, labels); {@code
 * description} and {@code status} are reported by the node; {@code managerStatus} by raft.
 */
public record Node(
    @JsonProperty("ID") String id,
    Version version,
    Instant createdAt,
    Instant updatedAt,
    NodeSpec spec,
    Description description,
    Status status,
    ManagerStatus managerStatus) implements StoreObject {

  public static final String READY = "ready";
  public static final String DOWN = "down";
  public static final String UNKNOWN = "unknown";
  public static final String DISCONNECTED = "disconnected";

  public Node stamped(long index, Instant at) {
    return new Node(id, new Version(index), StoreObject.created(createdAt, at), at, spec, description, status, managerStatus);
  }

  public Kind kind() {
    return Kind.NODE;
  }

  public Node withSpec(NodeSpec s) {
    return new Node(id, version, createdAt, updatedAt, s, description, status, managerStatus);
  }

  public Node withStatus(Status s) {
    return new Node(id, version, createdAt, updatedAt, spec, description, s, managerStatus);
  }

  public Node withDescription(Description d) {
    return new Node(id, version, createdAt, updatedAt, spec, d, status, managerStatus);
  }

  public Node withManagerStatus(ManagerStatus m) {
    return new Node(id, version, createdAt, updatedAt, spec, description, status, m);
  }

  public boolean isReady() {
    return status != null && READY.equals(status.state());
  }

  public String hostname() {
    return description == null ? "" : description.hostname();
  }

  /** What the user sets: name, labels, role ({@code manager|worker}), availability. */
  public record NodeSpec(String name, Map<String, String> labels, String role, String availability) {
    public static final String ACTIVE = "active";
    public static final String PAUSE = "pause";
    public static final String DRAIN = "drain";

    public NodeSpec {
      labels = Labels.copy(labels);
    }

    public NodeSpec withAvailability(String a) {
      return new NodeSpec(name, labels, role, a);
    }

    public String availabilityOrActive() {
      return availability == null || availability.isEmpty() ? ACTIVE : availability;
    }
  }

  /** What the node says about itself. */
  public record Description(
      String hostname, Platform platform, Resources.Limits resources, Engine engine,
      @JsonProperty("TLSInfo") JsonNode tlsInfo) {}

  public record Platform(String architecture, @JsonProperty("OS") String os) {}

  public record Engine(String engineVersion, Map<String, String> labels, JsonNode plugins) {
    public Engine {
      labels = Labels.copy(labels);
    }
  }

  /** {@code state} is {@code unknown|down|ready|disconnected}; {@code addr} the node's address. */
  public record Status(String state, String message, String addr) {}

  /** Raft membership view: leader flag, reachability, raft address. */
  public record ManagerStatus(Boolean leader, String reachability, String addr) {}
}
