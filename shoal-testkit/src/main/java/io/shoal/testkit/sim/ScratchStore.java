package io.shoal.testkit.sim;

import io.shoal.api.model.StoreObject;
import io.shoal.store.MemoryStore;
import io.shoal.store.Proposal;
import io.shoal.store.Proposer;
import io.shoal.store.StoreAction;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Why this exists: {@link MemoryStore#update} blocks until its proposal is applied, and in a
 * simulation nothing is applied until later events run — calling it on a manager's store inside an
 * event would wait forever. So a writer (control API call, plan commit, dispatcher flush) runs
 * against a scratch copy of the manager's committed state whose proposer applies at once and
 * records what was proposed; the recorded proposals then go through SimRaft for real.
 *
 * <p>The copy is exact: objects are re-applied grouped by their version (the index of the write
 * that made them), so versions and timestamps match, and so do the expected versions in the
 * recorded actions. Proposals are numbered from {@code base + 1}: on the leader that is where they
 * will land in the log, so a second proposal of one batch may depend on the first's versions.
 */
final class ScratchStore {
  private ScratchStore() {}

  /** A copy of {@code src}'s committed state whose proposals are recorded in {@code out}. */
  static MemoryStore copy(MemoryStore src, Clock clock, long base, List<Proposal> out) {
    MemoryStore copy = new MemoryStore(clock);
    Map<Long, List<StoreObject>> byVersion = new TreeMap<>();
    src.view(tx -> {
      for (StoreObject.Kind k : StoreObject.Kind.values()) {
        for (StoreObject o : tx.<StoreObject>all(k)) byVersion.computeIfAbsent(o.version().index(), v -> new ArrayList<>()).add(o);
      }
      return null;
    });
    byVersion.forEach((v, objects) -> copy.apply(
        new Proposal(objects.get(0).updatedAt(), objects.stream().map(StoreAction::create).toList()), v));
    copy.setProposer(new Recorder(copy, base, out));
    return copy;
  }

  private static final class Recorder implements Proposer {
    private final MemoryStore store;
    private final List<Proposal> out;
    private long next;

    Recorder(MemoryStore store, long base, List<Proposal> out) {
      this.store = store;
      this.next = base;
      this.out = out;
    }

    @Override
    public CompletableFuture<Long> propose(Proposal proposal) {
      try {
        store.apply(proposal, next + 1);
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
      out.add(proposal);
      return CompletableFuture.completedFuture(++next);
    }

    @Override
    public boolean isLeader() {
      return true;
    }
  }
}
