package io.shoal.store;

import io.shoal.api.error.ShoalException;
import io.shoal.api.model.StoreObject;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The store's write pipeline: transactions validated against committed + pending state are queued
 * here and sent as groups, one group (one raft entry) in flight at a time; everything that arrives
 * while a group is in flight goes out together in the next one. This is what lets many writers
 * share one raft round trip instead of queueing for it one by one.
 *
 * <p>Why one group in flight and not a pipeline: a transaction may be built on a pending write
 * whose raft index is unknown until it commits. With one group in flight, by the time a group is
 * sent every earlier group has committed or failed, so every expectation can be resolved to a real
 * version (or to the pre-entry version, when the write it was built on is in the same group).
 *
 * <p>Failure: a group that fails (no quorum, not leader, rejected at apply) fails its transactions,
 * and every queued transaction that read one of their writes fails too, transitively. A group of
 * several rejected at apply is retried one transaction per group, so only the guilty one fails.
 *
 * <p>Threading: all state is guarded by {@code lock} (the store's writer lock, which transaction
 * callbacks hold). Proposals are sent and completions handled outside it, on the thread that
 * completes the proposal.
 */
final class GroupCommit {
  private final ReentrantLock lock;
  private final Supplier<Proposer> proposer;
  private final Clock clock;
  private final int maxActions;
  private final ArrayDeque<PendingTx> queue = new ArrayDeque<>();
  private List<PendingTx> inFlight;
  /** Per table: object id -> the latest pending write to it, what new transactions read. */
  private final Map<StoreObject.Kind, LinkedHashMap<String, PendingTx.Write>> latest = new EnumMap<>(StoreObject.Kind.class);
  private long nextSeq = 1;

  GroupCommit(ReentrantLock lock, Supplier<Proposer> proposer, Clock clock, int maxActions) {
    this.lock = lock;
    this.proposer = proposer;
    this.clock = clock;
    this.maxActions = maxActions;
    for (StoreObject.Kind k : StoreObject.Kind.values()) latest.put(k, new LinkedHashMap<>());
  }

  /** Committed + pending state for a new transaction; caller holds the lock. */
  ReadTx view(ReadTx committed, Set<PendingTx> deps) {
    return new PendingView(committed, latest, deps);
  }

  /** Queues a validated transaction; caller holds the lock, then calls {@link #kick}. */
  PendingTx add(List<StoreAction> actions, Set<PendingTx> deps, boolean held) {
    long seq = nextSeq++;
    List<PendingTx.Write> writes = new ArrayList<>(actions.size());
    PendingTx tx = new PendingTx(seq, new ArrayList<>(actions), deps, writes, held);
    java.time.Instant now = clock.instant();
    for (StoreAction a : actions) {
      StoreObject shown = a.object() == null ? null : a.object().stamped(-seq, now);
      PendingTx.Write w = new PendingTx.Write(a.kind(), a.id(), shown, tx);
      writes.add(w);
      latest.get(a.kind()).put(a.id(), w);
    }
    deps.removeIf(d -> d.state == PendingTx.State.DONE);
    queue.add(tx);
    return tx;
  }

  /** Lets held transactions go; caller holds the lock, then calls {@link #kick}. */
  void release(Collection<PendingTx> txs) {
    for (PendingTx tx : txs) tx.held = false;
  }

  /** Fails transactions that were not sent (a batch callback threw, a caller gave up waiting). */
  void discard(Collection<PendingTx> txs, RuntimeException why) {
    List<Runnable> done = new ArrayList<>();
    lock.lock();
    try {
      List<PendingTx> gone = new ArrayList<>();
      for (PendingTx tx : txs) {
        if (tx.state == PendingTx.State.QUEUED && queue.remove(tx)) gone.add(tx);
      }
      if (gone.isEmpty()) return;
      fail(gone, why, done);
    } finally {
      lock.unlock();
    }
    done.forEach(Runnable::run);
    kick(); // a held transaction at the head may have been what blocked the queue
  }

  /** How many transactions wait to be sent (for tests and metrics). */
  int queued() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  /** Sends the next group if none is in flight. Call without holding the lock. */
  void kick() {
    Group g;
    lock.lock();
    try {
      g = nextGroup();
    } finally {
      lock.unlock();
    }
    send(g);
  }

  private record Group(List<PendingTx> txs, Proposal proposal) {}

  /**
   * Sends groups until one is pending asynchronously. A synchronous proposer (LocalProposer)
   * completes inside propose: looping here instead of recursing keeps the stack flat.
   */
  private void send(Group g) {
    while (g != null) {
      CompletableFuture<Long> f;
      Proposer p = proposer.get();
      if (p == null) {
        f = CompletableFuture.failedFuture(new ShoalException.Unavailable("the store has no proposer (not a manager)"));
      } else {
        try {
          f = p.propose(g.proposal());
        } catch (RuntimeException e) {
          f = CompletableFuture.failedFuture(e);
        }
      }
      if (!f.isDone()) {
        Group sent = g;
        // settled on the thread that completes the proposal (raft's apply or reply thread): a hop
        // to another thread cost a context switch per commit, which on a loaded machine doubled
        // the latency of a lone writer. Proposer.propose never blocks, so sending from there is fine.
        f.whenComplete((index, err) -> send(finish(sent, index, err)));
        return;
      }
      Long index = null;
      Throwable err = null;
      try {
        index = f.join();
      } catch (CompletionException | java.util.concurrent.CancellationException e) {
        err = e;
      }
      g = finish(g, index, err);
    }
  }

  /** Takes the next group off the queue; caller holds the lock. Null if one is in flight or none is ready. */
  private Group nextGroup() {
    if (inFlight != null) return null;
    List<PendingTx> group = new ArrayList<>();
    int size = 0;
    for (PendingTx tx : queue) {
      if (tx.held) break;
      if (tx.alone && !group.isEmpty()) break;
      if (!group.isEmpty() && size + tx.actions.size() > maxActions) break;
      group.add(tx);
      size += tx.actions.size();
      if (tx.alone) break;
    }
    if (group.isEmpty()) return null;
    for (int i = 0; i < group.size(); i++) queue.poll().state = PendingTx.State.SENT;
    inFlight = group;
    return new Group(group, new Proposal(clock.instant(), resolve(group)));
  }

  /**
   * The group's actions with every provisional expectation ({@code -seq}) resolved. Earlier groups
   * have committed (their references were rewritten in {@link #committed}), so what is left refers
   * to a transaction earlier in this group: apply checks each action against the state before the
   * entry, so such an action expects what the first action on that object in the group expected.
   */
  private static List<StoreAction> resolve(List<PendingTx> group) {
    List<StoreAction> out = new ArrayList<>();
    Map<String, Long> first = new HashMap<>();
    for (PendingTx tx : group) {
      for (StoreAction a : tx.actions) {
        String key = a.kind().ordinal() + "/" + a.id();
        long expected = a.expected();
        StoreObject o = a.object();
        if (expected < 0) {
          Long before = first.get(key);
          // cannot happen (a failed write fails its dependents first); if it did, apply must refuse
          expected = before != null ? before : Long.MIN_VALUE;
          if (o != null) o = o.stamped(expected, o.updatedAt());
        }
        first.putIfAbsent(key, expected);
        out.add(new StoreAction(a.op(), a.kind(), a.id(), expected, o));
      }
    }
    return out;
  }

  /** Settles the group that was in flight and takes the next one; runs without the lock held. */
  private Group finish(Group g, Long index, Throwable err) {
    List<Runnable> done = new ArrayList<>();
    Group next;
    lock.lock();
    try {
      inFlight = null;
      RuntimeException e = err == null ? null : unwrap(err);
      if (e == null) {
        committed(g.txs(), index, done);
      } else if (g.txs().size() > 1 && decidedByApply(e)) {
        for (int i = g.txs().size() - 1; i >= 0; i--) {
          PendingTx tx = g.txs().get(i);
          tx.state = PendingTx.State.QUEUED;
          tx.alone = true;
          queue.addFirst(tx);
        }
      } else {
        fail(g.txs(), e, done);
      }
      next = nextGroup();
    } finally {
      lock.unlock();
    }
    done.forEach(Runnable::run);
    return next;
  }

  private void committed(List<PendingTx> group, long index, List<Runnable> done) {
    Set<Long> seqs = new HashSet<>();
    for (PendingTx tx : group) {
      tx.state = PendingTx.State.DONE;
      seqs.add(tx.seq);
      for (PendingTx.Write w : tx.writes) {
        // by identity: Map.remove(key, value) would compare the records (and their objects) deeply
        Map<String, PendingTx.Write> m = latest.get(w.kind());
        if (m.get(w.id()) == w) m.remove(w.id());
      }
      done.add(() -> tx.future.complete(index));
    }
    // transactions built on these writes now know the version they expect
    for (PendingTx q : queue) {
      for (int i = 0; i < q.actions.size(); i++) {
        StoreAction a = q.actions.get(i);
        if (a.expected() < 0 && seqs.contains(-a.expected())) {
          StoreObject o = a.object() == null ? null : a.object().stamped(index, a.object().updatedAt());
          q.actions.set(i, new StoreAction(a.op(), a.kind(), a.id(), index, o));
        }
      }
    }
  }

  /** Fails {@code txs} and, transitively, every queued transaction built on them; caller holds the lock. */
  private void fail(List<PendingTx> txs, RuntimeException why, List<Runnable> done) {
    Set<PendingTx> failed = new HashSet<>(txs);
    for (PendingTx tx : txs) {
      tx.state = PendingTx.State.DONE;
      done.add(() -> tx.future.completeExceptionally(why));
    }
    RuntimeException knockOn = decidedByApply(why) ? new ShoalException.SequenceConflict("update out of sequence") : why;
    for (Iterator<PendingTx> it = queue.iterator(); it.hasNext(); ) {
      PendingTx q = it.next();
      if (q.deps.stream().noneMatch(failed::contains)) continue;
      it.remove();
      failed.add(q);
      q.state = PendingTx.State.DONE;
      done.add(() -> q.future.completeExceptionally(knockOn));
    }
    // what survives is shown again as the latest pending write of each object
    latest.values().forEach(Map::clear);
    if (inFlight != null) inFlight.forEach(this::show);
    queue.forEach(this::show);
  }

  private void show(PendingTx tx) {
    for (PendingTx.Write w : tx.writes) latest.get(w.kind()).put(w.id(), w);
  }

  /** Errors every replica reaches the same way when applying (as opposed to "not committed"). */
  private static boolean decidedByApply(RuntimeException e) {
    return !(e instanceof ShoalException.Unavailable || e instanceof ShoalException.NotLeader);
  }

  private static RuntimeException unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof RuntimeException re) return re;
    return new ShoalException.Unavailable("write failed: " + t.getMessage(), t);
  }
}
