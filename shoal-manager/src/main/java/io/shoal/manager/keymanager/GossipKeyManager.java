package io.shoal.manager.keymanager;

import io.shoal.api.model.Cluster;
import io.shoal.manager.Component;
import io.shoal.store.MemoryStore;
import io.shoal.store.StoreEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The leader component that keeps the gossip keys in the cluster object (raft), rotating them
 * every 12 hours ({@link GossipKeyPlanner}). Checks once a minute and whenever the cluster object
 * changes. The random source must be a secure one in production (the keys encrypt all gossip).
 */
public final class GossipKeyManager extends Component {
  private final Clock clock;
  private final RandomGenerator random;

  public GossipKeyManager(MemoryStore store, Clock clock, RandomGenerator random) {
    super("gossip-keys", store, Duration.ofMinutes(1), e -> e instanceof StoreEvent.Reset);
    this.clock = clock;
    this.random = random;
  }

  @Override
  protected void reconcile(List<StoreEvent> events, boolean full) {
    Cluster c = store.view(tx -> tx.cluster());
    if (c == null) return;
    var next = GossipKeyPlanner.plan(c.networkBootstrapKeys(), clock.instant(), random);
    if (next.isEmpty()) return;
    store.update(tx -> {
      Cluster cur = tx.cluster();
      // another writer may have rotated meanwhile: only write over what was planned from
      if (cur != null && java.util.Objects.equals(cur.networkBootstrapKeys(), c.networkBootstrapKeys())) {
        tx.update(cur.withNetworkBootstrapKeys(next.get()));
      }
    });
    log.info("gossip keys rotated: {}", next.get());
  }
}
