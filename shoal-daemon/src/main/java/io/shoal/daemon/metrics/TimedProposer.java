package io.shoal.daemon.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.shoal.store.MemoryStore;
import io.shoal.store.Proposal;
import io.shoal.store.Proposer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The store's proposer with a stopwatch: how long raft takes to commit and apply a proposal
 * ({@code shoal_raft_proposal_seconds}), how many store actions a group commit carries
 * ({@code shoal_store_group_actions}) and how many proposals failed. Everything else is the
 * wrapped proposer's.
 *
 * <p>Threading: as the wrapped proposer's; meters are thread-safe.
 */
public final class TimedProposer implements Proposer {
  private final Proposer delegate;
  private final Timer latency;
  private final DistributionSummary groupSize;
  private final Counter failures;

  TimedProposer(Proposer delegate, MeterRegistry registry) {
    this.delegate = delegate;
    this.latency = Timer.builder("shoal.raft.proposal").description("Time from proposing a store write to its apply on this manager")
        .serviceLevelObjectives(Buckets.LATENCY).register(registry);
    this.groupSize = DistributionSummary.builder("shoal.store.group.actions")
        .description("Store actions carried by one proposal (group commit)").baseUnit("actions")
        .serviceLevelObjectives(1, 2, 5, 10, 50, 100, 500).register(registry);
    this.failures = Counter.builder("shoal.raft.proposal.failures").description("Proposals that failed (no quorum, rejected at apply)")
        .register(registry);
  }

  /**
   * Puts a timing proposer in front of the store's own, once (a store already timed is left as is).
   * The store reads its proposer for every group commit, so the switch takes effect at the next one.
   */
  public static void install(MemoryStore store, MeterRegistry registry) {
    Proposer p = store.proposer();
    if (p == null || p instanceof TimedProposer) return;
    store.setProposer(new TimedProposer(p, registry));
  }

  @Override
  public CompletableFuture<Long> propose(Proposal proposal) {
    groupSize.record(proposal.actions().size());
    long start = System.nanoTime();
    return delegate.propose(proposal).whenComplete((index, e) -> {
      latency.record(Duration.ofNanos(System.nanoTime() - start));
      if (e != null) failures.increment();
    });
  }

  @Override
  public boolean isLeader() {
    return delegate.isLeader();
  }
}
