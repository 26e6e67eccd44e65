package io.shoal.store;

import java.util.concurrent.CompletableFuture;

/**
 * The one way a write reaches the store: a proposal is replicated (raft in production, nothing in
 * unit tests), then applied through {@link MemoryStore#apply} on every replica in log order.
 *
 * <p>Contract: the returned future completes after the proposal has been applied to this node's
 * store, with its index, or exceptionally with the error apply raised (e.g. a sequence conflict) or
 * with {@link io.shoal.api.error.ShoalException.Unavailable} / {@code NotLeader} when it could not
 * be committed. Thread-safe.
 */
public interface Proposer {
  CompletableFuture<Long> propose(Proposal proposal);

  /** Whether this replica may propose (is the raft leader). */
  boolean isLeader();
}
