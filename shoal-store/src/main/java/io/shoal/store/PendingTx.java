package io.shoal.store;

import io.shoal.api.model.StoreObject;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One validated transaction between {@code update} and its commit: queued, then sent in a group,
 * then done. Its fields other than {@link #future} are guarded by {@link GroupCommit}'s lock.
 *
 * <p>{@link #seq} doubles as a provisional version: while the transaction is pending, the objects it
 * wrote are shown to later transactions stamped with version {@code -seq}, so a writer that read the
 * committed copy instead gets "update out of sequence", and a writer that read the pending copy
 * carries {@code -seq} as its expectation until this transaction's index is known.
 */
final class PendingTx {
  enum State {
    QUEUED,
    SENT,
    DONE
  }

  /** What later transactions read for one object while this transaction is pending. */
  record Write(StoreObject.Kind kind, String id, StoreObject object, PendingTx owner) {}

  final long seq;
  /** Expectations of the form {@code -seq} are rewritten in place when that transaction commits. */
  final List<StoreAction> actions;
  /** Pending transactions whose writes this one read: if one of them fails, so does this one. */
  final Set<PendingTx> deps;
  final List<Write> writes;
  final CompletableFuture<Long> future = new CompletableFuture<>();
  State state = State.QUEUED;
  /** In an open {@code batch}: not sent until the batch lets it go. */
  boolean held;
  /** Its group failed at apply: retried in a group of its own, so one bad write fails only itself. */
  boolean alone;

  PendingTx(long seq, List<StoreAction> actions, Set<PendingTx> deps, List<Write> writes, boolean held) {
    this.seq = seq;
    this.actions = actions;
    this.deps = deps;
    this.writes = writes;
    this.held = held;
  }

  @Override
  public String toString() {
    return "tx" + seq + "(" + actions.size() + " actions, " + state + ")";
  }
}
