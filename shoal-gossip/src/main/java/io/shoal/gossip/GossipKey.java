package io.shoal.gossip;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * One cluster-wide gossip key: {@code id} is the managers' logical clock when they made it (newer
 * keys have higher ids), {@code material} 32 random bytes (AES-256-GCM after per-sender
 * derivation, see {@link PacketSealer}).
 */
public record GossipKey(long id, byte[] material) {
  public GossipKey {
    if (material == null || material.length != 32) throw new IllegalArgumentException("a gossip key is 32 bytes");
    material = material.clone();
  }

  @Override
  public byte[] material() {
    return material.clone();
  }

  byte[] raw() {
    return material;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GossipKey k && k.id == id && Arrays.equals(k.material, material);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(id) * 31 + Arrays.hashCode(material);
  }

  /** Never prints the material. */
  @Override
  public String toString() {
    return "GossipKey[" + id + " " + HexFormat.of().formatHex(material, 0, 2) + "..]";
  }
}
