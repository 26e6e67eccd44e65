package io.shoal.testkit.sim;

import io.shoal.api.error.ShoalException;
import io.shoal.api.model.Task;
import io.shoal.store.MemoryStore;
import io.shoal.store.Proposal;
import io.shoal.store.Proposer;
import io.shoal.testkit.sim.raft.Entry;
import io.shoal.testkit.sim.raft.RaftMember;
import io.shoal.testkit.sim.raft.RaftMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * One simulated manager: a {@link RaftMember}, the {@link MemoryStore} it feeds with committed
 * entries through {@code apply(Proposal, index)}, a {@link Proposer} into SimRaft, and — while it
 * is a ready leader — the {@link LeaderServices}. Every manager takes writes (the control API on
 * any manager): a follower forwards them to the leader it knows.
 *
 * <p>A write is <em>acknowledged</em> when its entry is committed and applied on this manager
 * (the {@link Proposer} contract); a write not acknowledged within {@link
 * MemoryStore#COMMIT_TIMEOUT} of simulated time fails as Unavailable, as the real store's would.
 */
public final class SimManager implements RaftMember.Host {
  private final SimCluster cluster;
  private final Sim sim;
  private final String id;
  private final RaftMember raft;
  private final SimProposer proposer = new SimProposer();
  private final Map<Long, List<Pending>> waitingApply = new TreeMap<>();
  private final Map<Long, Pending> waitingLeader = new TreeMap<>();
  private final Map<Long, RuntimeException> applyErrors = new TreeMap<>();
  private MemoryStore store;
  private LeaderServices leader;
  private boolean up = true;
  private long requests;

  SimManager(SimCluster cluster, String id, List<String> members) {
    this.cluster = cluster;
    this.sim = cluster.sim();
    this.id = id;
    this.raft = new RaftMember(sim, id, members, this, cluster::nextEntryId);
    this.store = newStore();
    cluster.network().register(id, this::receive);
  }

  /** A write's outcome: what the callback returned (from the scratch copy) and its acknowledgement. */
  public record Write<T>(T value, CompletableFuture<Long> ack) {
    static <T> Write<T> failed(RuntimeException e) {
      return new Write<>(null, CompletableFuture.failedFuture(e));
    }
  }

  /** A proposal waiting to be acknowledged. */
  private final class Pending {
    final CompletableFuture<Long> future = new CompletableFuture<>();
    long index;
    long entryId;
    Sim.Event timeout;
  }

  private MemoryStore newStore() {
    MemoryStore s = new MemoryStore(sim.clock());
    s.setProposer(proposer);
    return s;
  }

  void start() {
    raft.start();
  }

  // ---- writes ----

  /**
   * Runs {@code fn} as a writer would against this manager's store (see {@link ScratchStore}) and
   * proposes what it wrote. Validation errors come back at once, with nothing proposed.
   */
  public <T> Write<T> write(String what, Function<MemoryStore, T> fn) {
    if (!up) return Write.failed(new ShoalException.Unavailable(id + " is down"));
    List<Proposal> out = new ArrayList<>();
    long base = raft.isLeader() ? raft.lastIndex() : store.index();
    MemoryStore scratch = ScratchStore.copy(store, sim.clock(), base, out);
    T value;
    try {
      value = fn.apply(scratch);
    } catch (RuntimeException e) {
      return Write.failed(e);
    }
    if (out.isEmpty()) return new Write<>(value, CompletableFuture.completedFuture(store.index()));
    List<CompletableFuture<Long>> acks = new ArrayList<>();
    for (Proposal p : out) acks.add(proposer.propose(p));
    if (raft.isLeader() && raft.lastIndex() != base + out.size()) {
      throw new IllegalStateException(what + ": proposals did not land where the scratch store numbered them");
    }
    CompletableFuture<Long> last = acks.get(acks.size() - 1);
    CompletableFuture<Long> all = CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).thenCompose(x -> last);
    return new Write<>(value, all);
  }

  /** Proposes into SimRaft: directly on the leader, forwarded from a follower. */
  private final class SimProposer implements Proposer {
    @Override
    public CompletableFuture<Long> propose(Proposal p) {
      Pending w = new Pending();
      if (!up) {
        w.future.completeExceptionally(new ShoalException.Unavailable(id + " is down"));
        return w.future;
      }
      w.timeout = sim.after(MemoryStore.COMMIT_TIMEOUT.toMillis(), id + " write timeout", () -> fail(w,
          new ShoalException.Unavailable("the write was not committed within " + MemoryStore.COMMIT_TIMEOUT.toSeconds() + "s")));
      if (raft.isLeader()) {
        w.index = raft.propose(p);
        w.entryId = raft.entry(w.index).id();
        awaitApply(w);
      } else if (raft.leaderId() != null && !raft.leaderId().equals(id)) {
        long req = ++requests;
        waitingLeader.put(req, w);
        cluster.network().send(id, raft.leaderId(), new Wire.Forward(req, p));
      } else {
        fail(w, new ShoalException.Unavailable("no leader: the swarm does not have a leader with quorum"));
      }
      return w.future;
    }

    @Override
    public boolean isLeader() {
      return raft.isLeader();
    }
  }

  private void awaitApply(Pending w) {
    if (raft.lastApplied() >= w.index) resolve(w);
    else waitingApply.computeIfAbsent(w.index, k -> new ArrayList<>()).add(w);
  }

  /** Called once this manager applied {@code w.index}: was it our entry, and did it apply? */
  private void resolve(Pending w) {
    Entry e = raft.entry(w.index);
    if (e == null || e.id() != w.entryId) {
      fail(w, new ShoalException.NotLeader("the write was lost with its leader's term; retry"));
    } else if (applyErrors.containsKey(w.index)) {
      fail(w, applyErrors.get(w.index));
    } else if (!w.future.isDone()) {
      w.timeout.cancel();
      cluster.invariants().acknowledged(id, w.index, w.entryId);
      w.future.complete(w.index);
    }
  }

  private void fail(Pending w, RuntimeException e) {
    if (w.timeout != null) w.timeout.cancel();
    w.future.completeExceptionally(e);
  }

  // ---- raft host ----

  @Override
  public void send(String to, RaftMessage m) {
    cluster.network().send(id, to, m);
  }

  @Override
  public void apply(long index, Entry e) {
    if (!e.noop()) {
      Map<String, Task> before = Invariants.touchedTasks(store, e.proposal());
      try {
        store.apply(e.proposal(), index);
        cluster.invariants().applied(this, index, before);
      } catch (ShoalException ex) {
        // every replica refuses the same entry the same way; the proposer hears why
        applyErrors.put(index, ex);
      }
    }
    List<Pending> ws = waitingApply.remove(index);
    if (ws != null) ws.forEach(this::resolve);
    if (leader != null) leader.changed();
  }

  @Override
  public void leaderReady() {
    sim.note(id + " leader ready in term " + raft.term());
    leader = new LeaderServices(this);
    leader.start();
  }

  @Override
  public void leadershipLost() {
    stopLeader();
  }

  private void stopLeader() {
    if (leader != null) {
      leader.stop();
      leader = null;
    }
  }

  // ---- network ----

  private void receive(String from, Object msg) {
    if (!up) return;
    if (msg instanceof RaftMessage m) {
      raft.receive(from, m);
    } else if (msg instanceof Wire.Forward f) {
      long idx = raft.propose(f.proposal());
      cluster.network().send(id, from, idx < 0
          ? new Wire.Forwarded(f.request(), 0, 0, id + " is not the leader")
          : new Wire.Forwarded(f.request(), idx, raft.entry(idx).id(), null));
    } else if (msg instanceof Wire.Forwarded f) {
      Pending w = waitingLeader.remove(f.request());
      if (w == null || w.future.isDone()) return;
      if (f.error() != null) {
        fail(w, new ShoalException.NotLeader(f.error()));
      } else {
        w.index = f.index();
        w.entryId = f.entryId();
        awaitApply(w);
      }
    } else if (leader != null) {
      leader.dispatcher().receive(from, msg);
    } else if (msg instanceof Wire.Register) {
      cluster.network().send(id, from, new Wire.Registered(null, 0, "not the leader", raft.leaderId()));
    } else if (msg instanceof Wire.Heartbeat h) {
      cluster.network().send(id, from, new Wire.HeartbeatReply(h.session(), 0, "not the leader", raft.leaderId()));
    }
  }

  // ---- faults ----

  /** The process dies: store, sessions, leader services and waiting writes are gone. */
  public void crash() {
    sim.note(id + " crashes");
    up = false;
    cluster.network().setUp(id, false);
    stopLeader();
    raft.crash();
    RuntimeException e = new ShoalException.Unavailable(id + " crashed");
    waitingApply.values().forEach(l -> l.forEach(w -> fail(w, e)));
    waitingLeader.values().forEach(w -> fail(w, e));
    waitingApply.clear();
    waitingLeader.clear();
    applyErrors.clear();
    store = null;
  }

  /** Starts again from its raft state: a new store rebuilt by replaying the committed log. */
  public void restart() {
    sim.note(id + " restarts");
    up = true;
    cluster.network().setUp(id, true);
    store = newStore();
    raft.restart();
  }

  // ---- reads ----

  public String id() {
    return id;
  }

  public boolean isUp() {
    return up;
  }

  public RaftMember raft() {
    return raft;
  }

  /** This manager's store (null while down). Read it with {@code view}; never {@code update} it. */
  public MemoryStore store() {
    return store;
  }

  public boolean leading() {
    return leader != null;
  }

  Sim sim() {
    return sim;
  }

  SimCluster cluster() {
    return cluster;
  }
}
