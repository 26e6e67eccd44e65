package io.shoal.gossip;

import java.util.Arrays;
import java.util.Objects;

/**
 * One entry of a gossiped table: {@code (table, key)} names it, {@code owner} is the node that
 * publishes it (only the owner changes it), {@code version} orders its changes (the newer wins,
 * ties broken by owner id so every member settles on the same copy), {@code deleted} marks a
 * tombstone that is kept until it has had time to reach everyone.
 *
 * <p>The value is opaque bytes; {@link EndpointRecord} and {@link PeerRecord} are the two shapes
 * the networking consumers use.
 */
public record GossipRecord(String table, String key, String owner, long version, boolean deleted, byte[] value) {
  public GossipRecord {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(owner, "owner");
    value = value == null ? new byte[0] : value;
  }

  /** The record's identity, which is also the key a newer broadcast supersedes an older by. */
  public String id() {
    return table + "\u0000" + key;
  }

  /** True when this copy should replace {@code other} (which may be null). */
  public boolean newerThan(GossipRecord other) {
    if (other == null) return true;
    if (version != other.version) return version > other.version;
    int byOwner = owner.compareTo(other.owner);
    if (byOwner != 0) return byOwner > 0;
    // same version, same owner: a tombstone wins over the live copy
    return deleted && !other.deleted;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GossipRecord r && table.equals(r.table) && key.equals(r.key) && owner.equals(r.owner)
        && version == r.version && deleted == r.deleted && Arrays.equals(value, r.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(table, key, owner, version, deleted) * 31 + Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return "GossipRecord[" + table + "/" + key + " owner=" + owner + " v=" + version + (deleted ? " deleted" : "")
        + " " + value.length + "B]";
  }
}
