package io.shoal.store;

import java.util.concurrent.CompletableFuture;

/**
 * Applies proposals at once, in the caller's thread, with consecutive indexes: the store without
 * replication, for unit tests and simulations. Thread-safe (apply is serialised by the store).
 */
public final class LocalProposer implements Proposer {
  private final MemoryStore store;
  private long next;

  public LocalProposer(MemoryStore store) {
    this.store = store;
    this.next = store.index();
  }

  @Override
  public synchronized CompletableFuture<Long> propose(Proposal proposal) {
    // after a restore the store may be ahead of our counter: never reuse an index it has seen
    long at = next = Math.max(next, store.index()) + 1;
    try {
      store.apply(proposal, at);
      return CompletableFuture.completedFuture(at);
    } catch (RuntimeException e) {
      next--;
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public boolean isLeader() {
    return true;
  }
}
