package io.shoal.daemon.swarm;

import io.shoal.manager.allocator.Allocator;
import io.shoal.manager.dispatcher.DispatcherService;
import io.shoal.manager.keymanager.GossipKeyManager;
import io.shoal.manager.orchestrator.Orchestrator;
import io.shoal.manager.scheduler.Scheduler;
import io.shoal.store.MemoryStore;
import java.time.Clock;
import java.util.random.RandomGenerator;

/**
 * The components only the raft leader runs: orchestrator, allocator, scheduler, dispatcher, gossip keys.
 * Started together when this manager becomes leader, closed together when it stops being leader;
 * they talk only through the store.
 */
public final class LeaderServices implements AutoCloseable {
  private final Orchestrator orchestrator;
  private final Allocator allocator;
  private final Scheduler scheduler;
  private final DispatcherService dispatcher;
  private final GossipKeyManager gossipKeys;

  public LeaderServices(MemoryStore store, Clock clock, RandomGenerator random) {
    this(store, clock, random, () -> java.time.Instant.MIN);
  }

  /** @param clusterServingSince when this node's cluster port began serving agents; null until then */
  public LeaderServices(MemoryStore store, Clock clock, RandomGenerator random,
      java.util.function.Supplier<java.time.Instant> clusterServingSince) {
    this.dispatcher = new DispatcherService(store, clock, random, clusterServingSince);
    this.orchestrator = new Orchestrator(store, clock, random);
    this.allocator = new Allocator(store, clock);
    this.scheduler = new Scheduler(store, clock);
    // the gossip keys encrypt all node-to-node gossip: never from the (seedable) injected random
    this.gossipKeys = new GossipKeyManager(store, clock, new java.security.SecureRandom());
    orchestrator.start();
    gossipKeys.start();
    allocator.start();
    scheduler.start();
  }

  public DispatcherService dispatcher() {
    return dispatcher;
  }

  @Override
  public void close() {
    orchestrator.close();
    allocator.close();
    scheduler.close();
    gossipKeys.close();
    dispatcher.close();
  }
}
