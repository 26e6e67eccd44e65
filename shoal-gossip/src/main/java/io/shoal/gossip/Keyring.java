package io.shoal.gossip;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The keys a node accepts and the one it sends with, plus the nodes whose packets it refuses
 * (removed from the cluster; they may still hold a key until the next rotation).
 *
 * <p>As in Swarm, a node sends with the second newest key when it has two or more: a new key is
 * first only accepted everywhere (it reaches nodes over their manager sessions at slightly
 * different times) and used for sending one rotation later, so no node receives a packet sealed
 * with a key it does not have yet.
 */
public record Keyring(List<GossipKey> keys, Set<String> removedNodes) {
  public Keyring {
    List<GossipKey> sorted = new ArrayList<>(keys);
    sorted.sort(Comparator.comparingLong(GossipKey::id));
    keys = List.copyOf(sorted);
    removedNodes = Set.copyOf(removedNodes);
    if (keys.isEmpty()) throw new IllegalArgumentException("a keyring needs at least one key");
  }

  public static Keyring of(GossipKey... keys) {
    return new Keyring(List.of(keys), Set.of());
  }

  public GossipKey primary() {
    return keys.size() >= 2 ? keys.get(keys.size() - 2) : keys.get(0);
  }

  public Optional<GossipKey> byId(long id) {
    for (GossipKey k : keys) if (k.id() == id) return Optional.of(k);
    return Optional.empty();
  }

  public Keyring withRemoved(Set<String> removed) {
    return new Keyring(keys, removed);
  }
}
