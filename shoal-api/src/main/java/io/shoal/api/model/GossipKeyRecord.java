package io.shoal.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Objects;

/**
 * One gossip encryption key as the managers keep it in raft (SwarmKit's NetworkBootstrapKeys):
 * {@code lamportTime} orders the keys (a new key gets the highest plus one), {@code key} is 32
 * random bytes in base64, {@code createdAt} drives the 12-hour rotation. Never served on the
 * API; it reaches nodes only over their mutual-TLS session.
 */
public record GossipKeyRecord(
    @JsonProperty("LamportTime") long lamportTime,
    @JsonProperty("Key") String key,
    @JsonProperty("CreatedAt") Instant createdAt) {
  public GossipKeyRecord {
    Objects.requireNonNull(key, "key");
  }

  /** Never prints the key. */
  @Override
  public String toString() {
    return "GossipKeyRecord[" + lamportTime + " created " + createdAt + "]";
  }
}
