package io.shoal.gossip;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Where a task of a service can be reached on a network: the record the resolver and VIP tables
 * consume. Kept in table {@link #TABLE}, keyed by {@code network/task}, owned by the node that
 * runs the task.
 */
public record EndpointRecord(String service, String task, String network, String address, String node, String state) {
  public static final String TABLE = "endpoints";

  public EndpointRecord {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(state, "state");
  }

  public String key() {
    return network + "/" + task;
  }

  public byte[] encode() {
    return String.join("\n", service, task, network, address, node, state).getBytes(StandardCharsets.UTF_8);
  }

  /** Decodes a value written by {@link #encode}; throws IllegalArgumentException on anything else. */
  public static EndpointRecord decode(byte[] value) {
    String[] f = new String(value, StandardCharsets.UTF_8).split("\n", -1);
    if (f.length != 6) throw new IllegalArgumentException("endpoint record has " + f.length + " fields, want 6");
    return new EndpointRecord(f[0], f[1], f[2], f[3], f[4], f[5]);
  }
}
