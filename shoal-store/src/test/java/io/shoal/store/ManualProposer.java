package io.shoal.store;

import io.shoal.api.error.ShoalException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A proposer the test drives by hand: proposals wait until the test commits (applies at the next
 * index) or fails them, as raft would after a round trip. Everything committed is recorded so a
 * test can replay it on a fresh store. Thread-safe.
 */
final class ManualProposer implements Proposer {
  record Sent(Proposal proposal, CompletableFuture<Long> future) {}

  record Entry(long index, Proposal proposal) {}

  private final MemoryStore store;
  private final LinkedBlockingQueue<Sent> sent = new LinkedBlockingQueue<>();
  private final List<Entry> log = new ArrayList<>();
  private long next;

  ManualProposer(MemoryStore store) {
    this.store = store;
  }

  @Override
  public CompletableFuture<Long> propose(Proposal proposal) {
    CompletableFuture<Long> f = new CompletableFuture<>();
    sent.add(new Sent(proposal, f));
    return f;
  }

  @Override
  public boolean isLeader() {
    return true;
  }

  /** The next proposal sent, waiting for it up to 10 s. */
  Sent take() throws InterruptedException {
    Sent s = sent.poll(10, TimeUnit.SECONDS);
    if (s == null) throw new AssertionError("no proposal was sent");
    return s;
  }

  /** The next proposal sent, or null after 100 ms without one. */
  Sent pollSent() throws InterruptedException {
    return sent.poll(100, TimeUnit.MILLISECONDS);
  }

  boolean nothingSent() {
    return sent.isEmpty();
  }

  /** Appends to the log and applies, as a commit would; returns whether apply accepted it. */
  synchronized boolean commit(Sent s) {
    Proposal p = s.proposal();
    long at = ++next;
    try {
      store.apply(p, at);
    } catch (RuntimeException e) {
      log.add(new Entry(at, p)); // a rejected entry is still in the log: replicas reject it too
      s.future().completeExceptionally(e);
      return false;
    }
    log.add(new Entry(at, p));
    s.future().complete(at);
    return true;
  }

  /** Applies a proposal that did not come through this store's pipeline (a follower's forwarded write). */
  synchronized boolean external(Proposal p) {
    return commit(new Sent(p, new CompletableFuture<>()));
  }

  void fail(Sent s) {
    s.future().completeExceptionally(new ShoalException.Unavailable("no quorum (test)"));
  }

  synchronized List<Entry> log() {
    return List.copyOf(log);
  }
}
