package io.shoal.gossip;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Which node holds which overlay address on a network and where its VXLAN tunnel ends (the
 * data path's FDB and neighbour entries). Table {@link #TABLE}, keyed by {@code network/node},
 * owned by that node.
 */
public record PeerRecord(String network, String node, String overlayAddress, String tunnelEndpoint) {
  public static final String TABLE = "peers";

  public PeerRecord {
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(overlayAddress, "overlayAddress");
    Objects.requireNonNull(tunnelEndpoint, "tunnelEndpoint");
  }

  public String key() {
    return network + "/" + node;
  }

  public byte[] encode() {
    return String.join("\n", network, node, overlayAddress, tunnelEndpoint).getBytes(StandardCharsets.UTF_8);
  }

  public static PeerRecord decode(byte[] value) {
    String[] f = new String(value, StandardCharsets.UTF_8).split("\n", -1);
    if (f.length != 4) throw new IllegalArgumentException("peer record has " + f.length + " fields, want 4");
    return new PeerRecord(f[0], f[1], f[2], f[3]);
  }
}
