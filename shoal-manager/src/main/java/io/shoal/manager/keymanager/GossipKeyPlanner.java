package io.shoal.manager.keymanager;

import io.shoal.api.model.GossipKeyRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Decides when the gossip keys change (pure: the keys, now and a random source in, the new list
 * or nothing out). As SwarmKit's key manager: keys are made when the swarm has none, a new one
 * every {@link #ROTATION} (12 h), the newest {@link #KEEP} kept. Three keys at once let nodes
 * accept the newest while still sending with the previous one, so a key that reaches nodes at
 * different times never makes them drop each other's packets.
 */
public final class GossipKeyPlanner {
  public static final Duration ROTATION = Duration.ofHours(12);
  public static final int KEEP = 3;

  private GossipKeyPlanner() {}

  public static Optional<List<GossipKeyRecord>> plan(List<GossipKeyRecord> current, Instant now, RandomGenerator random) {
    List<GossipKeyRecord> keys = new ArrayList<>(current == null ? List.of() : current);
    keys.sort(Comparator.comparingLong(GossipKeyRecord::lamportTime));
    if (keys.isEmpty()) {
      // two at once: the first sends, the second is already everywhere when the first rotation comes
      keys.add(newKey(1, now, random));
      keys.add(newKey(2, now, random));
      return Optional.of(List.copyOf(keys));
    }
    GossipKeyRecord newest = keys.get(keys.size() - 1);
    if (newest.createdAt() != null && now.isBefore(newest.createdAt().plus(ROTATION))) return Optional.empty();
    keys.add(newKey(newest.lamportTime() + 1, now, random));
    while (keys.size() > KEEP) keys.remove(0);
    return Optional.of(List.copyOf(keys));
  }

  private static GossipKeyRecord newKey(long lamport, Instant now, RandomGenerator random) {
    byte[] k = new byte[32];
    random.nextBytes(k);
    return new GossipKeyRecord(lamport, Base64.getEncoder().encodeToString(k), now);
  }
}
