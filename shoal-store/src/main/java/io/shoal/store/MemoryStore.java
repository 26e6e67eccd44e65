package io.shoal.store;

import io.shoal.api.error.ShoalException;
import io.shoal.api.model.StoreObject;
import io.shoal.api.model.Task;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The cluster state on one manager: versioned tables of immutable records, changed only by
 * applying committed {@link Proposal}s, watched by the components that react to changes.
 *
 * <pre>{@code
 * MemoryStore store = new MemoryStore(clock);
 * store.setProposer(new LocalProposer(store));          // raft in production
 * store.update(tx -> tx.create(service));                // proposes, waits for apply
 * List<Task> tasks = store.view(tx -> tx.tasksOfService(id));
 * }</pre>
 *
 * <p>Threading: {@link #view} runs under a read lock and may run concurrently; {@link #update} runs
 * its callback under one writer lock against the committed state under every pending (proposed,
 * not yet committed) write, so each transaction sees the previous one's result; the lock is
 * released before proposing, and the caller then waits for its own commit. Transactions that
 * arrive while a proposal is in flight go out together in the next one ({@link GroupCommit}): a
 * write that fails fails every pending write built on it. {@link #apply} runs on the proposer's
 * apply thread under the write lock. Watch queues are filled during apply, in commit order. Do not
 * write to the store from inside a transaction callback.
 */
public final class MemoryStore {
  /** How long a write waits for commit before telling the caller the cluster is unavailable. */
  public static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(20);
  /** Largest proposal a batch makes, so one raft entry stays small. */
  public static final int MAX_BATCH_ACTIONS = 500;

  private final Clock clock;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final ReentrantLock writer = new ReentrantLock();
  private final Map<StoreObject.Kind, Table> tables = new EnumMap<>(StoreObject.Kind.class);
  private final List<Watch> watches = new CopyOnWriteArrayList<>();
  private volatile Proposer proposer;
  private volatile long index;
  private final GroupCommit pipeline;
  /** The batch this thread is inside, so a plain update from its callback does not wait behind it. */
  private final ThreadLocal<Batch> openBatch = new ThreadLocal<>();

  public MemoryStore(Clock clock) {
    this.clock = clock;
    this.pipeline = new GroupCommit(writer, () -> proposer, clock, MAX_BATCH_ACTIONS);
    for (StoreObject.Kind k : StoreObject.Kind.values()) tables.put(k, new Table(k));
  }

  public void setProposer(Proposer proposer) {
    this.proposer = proposer;
  }

  /** Transactions validated and waiting for a proposal to carry them (not counting one in flight). */
  int queuedWrites() {
    return pipeline.queued();
  }

  /** Transactions waiting for a proposal (not counting the one in flight), for metrics. */
  public int pendingWrites() {
    return pipeline.queued();
  }

  /** The longest queue of undelivered events among the watchers: the slowest one's lag, for metrics. */
  public int watchBacklog() {
    int max = 0;
    for (Watch w : watches) max = Math.max(max, w.backlog());
    return max;
  }

  /** How many watchers are subscribed, for metrics. */
  public int watchCount() {
    return watches.size();
  }

  public Proposer proposer() {
    return proposer;
  }

  public Clock clock() {
    return clock;
  }

  public long index() {
    return index;
  }

  /** Runs {@code fn} against a consistent read of the committed state. */
  public <T> T view(Function<ReadTx, T> fn) {
    lock.readLock().lock();
    try {
      return fn.apply(committed);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Runs {@code fn} as one transaction and waits until its writes are applied. */
  public void update(Consumer<WriteTx> fn) {
    updateAndGet(tx -> {
      fn.accept(tx);
      return null;
    });
  }

  /** Like {@link #update}, returning what the callback returns once the writes are applied. */
  public <T> T updateAndGet(Function<WriteTx, T> fn) {
    Object[] result = new Object[1];
    PendingTx tx = submit(wtx -> result[0] = fn.apply(wtx));
    if (tx != null) await(tx);
    @SuppressWarnings("unchecked")
    T r = (T) result[0];
    return r;
  }

  /**
   * Runs {@code fn} as one transaction now, in the caller's thread, and returns at once: the future
   * completes when its writes are applied, or fails as {@link #update} would throw (a callback's
   * own error fails it too). For callers that must not hold a thread for a raft round trip, such as
   * RPC handlers serving thousands of nodes.
   */
  public CompletableFuture<Void> updateAsync(Consumer<WriteTx> fn) {
    PendingTx tx;
    try {
      tx = submit(fn::accept);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    if (tx == null) return CompletableFuture.completedFuture(null);
    return tx.future.thenApply(i -> (Void) null)
        .orTimeout(COMMIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .handle((v, err) -> {
          if (err == null) return null;
          Throwable c = err instanceof java.util.concurrent.CompletionException && err.getCause() != null ? err.getCause() : err;
          if (c instanceof TimeoutException) {
            ShoalException.Unavailable u = notCommitted();
            pipeline.discard(List.of(tx), u);
            throw u;
          }
          if (c instanceof RuntimeException re) throw re;
          throw new ShoalException.Unavailable("write failed: " + c.getMessage(), c);
        });
  }

  /** Builds and queues one transaction; null if it wrote nothing. The caller then waits (or not). */
  private PendingTx submit(Consumer<WriteTx> fn) {
    requireProposer();
    notInsideCallback();
    Batch open = openBatch.get();
    if (open != null) open.letGo(); // this write would otherwise queue behind the batch's held ones
    PendingTx tx;
    writer.lock();
    try {
      lock.readLock().lock();
      try {
        Set<PendingTx> deps = new HashSet<>();
        Overlay o = new Overlay(pipeline.view(committed, deps));
        fn.accept(o);
        List<StoreAction> actions = o.actions();
        if (actions.isEmpty()) return null;
        tx = pipeline.add(actions, deps, false);
      } finally {
        lock.readLock().unlock();
      }
    } finally {
      writer.unlock();
    }
    pipeline.kick();
    return tx;
  }

  /**
   * Runs many small transactions and waits until all are applied. They go out in proposals of up
   * to {@link #MAX_BATCH_ACTIONS} actions (shared with other writers' transactions); unlike {@link
   * #update}, the batch is not atomic as a whole: each transaction is. Used where thousands of
   * objects change at once (scaling, node loss). If the callback throws, its transactions not yet
   * let go fail and the exception propagates once the ones let go have settled.
   */
  public void batch(Consumer<Batch> fn) {
    requireProposer();
    notInsideCallback();
    Batch outer = openBatch.get();
    if (outer != null) outer.letGo();
    Batch b = new Batch();
    openBatch.set(b);
    try {
      fn.accept(b);
    } catch (RuntimeException | Error e) {
      pipeline.discard(b.held, new ShoalException.Unavailable("the batch was abandoned: " + e.getMessage(), e));
      b.held.clear();
      b.awaitAll(false);
      throw e;
    } finally {
      openBatch.set(outer);
    }
    b.letGo();
    b.awaitAll(true);
  }

  /**
   * A sequence of small transactions; see {@link #batch}. Each reads committed state under every
   * pending write, the batch's earlier ones included. They are held back from sending until the
   * batch has {@link #MAX_BATCH_ACTIONS} actions or ends, so a batch still makes few large
   * proposals even with a synchronous proposer.
   */
  public final class Batch {
    private final List<PendingTx> held = new ArrayList<>();
    private final List<PendingTx> all = new ArrayList<>();
    private int heldActions;
    /** The chunk let go last; the next one is not started before it settles. */
    private List<PendingTx> lastChunk;

    private Batch() {}

    /** Runs one transaction; it reads the committed state plus all pending writes. */
    public void update(Consumer<WriteTx> fn) {
      if (held.isEmpty() && lastChunk != null) {
        // Backpressure: a batch has at most one chunk queued. Without this an orchestrator round
        // of 100,000 creates queued 200 proposals at once and every other writer (an API call,
        // a status flush) waited behind all of them, past the commit timeout.
        for (PendingTx p : lastChunk) awaitQuietly(p);
        lastChunk = null;
      }
      writer.lock();
      try {
        lock.readLock().lock();
        try {
          Set<PendingTx> deps = new HashSet<>();
          Overlay tx = new Overlay(pipeline.view(committed, deps));
          fn.accept(tx);
          List<StoreAction> actions = tx.actions();
          if (actions.isEmpty()) return;
          PendingTx p = pipeline.add(actions, deps, true);
          held.add(p);
          all.add(p);
          heldActions += actions.size();
        } finally {
          lock.readLock().unlock();
        }
      } finally {
        writer.unlock();
      }
      if (heldActions >= MAX_BATCH_ACTIONS) letGo();
    }

    private void letGo() {
      if (held.isEmpty()) return;
      lastChunk = new ArrayList<>(held);
      writer.lock();
      try {
        pipeline.release(held);
      } finally {
        writer.unlock();
      }
      held.clear();
      heldActions = 0;
      pipeline.kick();
    }

    private void awaitQuietly(PendingTx p) {
      try {
        await(p);
      } catch (RuntimeException e) {
        // reported by awaitAll when the batch ends
      }
    }

    private void awaitAll(boolean rethrow) {
      RuntimeException first = null;
      for (PendingTx p : all) {
        try {
          await(p);
        } catch (RuntimeException e) {
          if (first == null) first = e;
        }
      }
      if (rethrow && first != null) throw first;
    }
  }

  private static void replay(Overlay o, StoreAction a) {
    switch (a.op()) {
      case CREATE -> o.create(a.object());
      case UPDATE -> o.update(a.object());
      case DELETE -> o.delete(a.kind(), a.id());
    }
  }

  /** Subscribes to events that match {@code filter} (Commit and Reset always pass). */
  public Watch watch(Predicate<StoreEvent> filter) {
    Watch[] holder = new Watch[1];
    Watch w = new Watch(filter, () -> watches.remove(holder[0]));
    holder[0] = w;
    watches.add(w);
    return w;
  }

  /** Reads and subscribes atomically: no event is missed or seen twice between the two. */
  public <T> Watched<T> viewAndWatch(Function<ReadTx, T> fn, Predicate<StoreEvent> filter) {
    lock.readLock().lock();
    try {
      return new Watched<>(fn.apply(committed), watch(filter));
    } finally {
      lock.readLock().unlock();
    }
  }

  /** A read and the subscription that continues from it. */
  public record Watched<T>(T value, Watch watch) {}

  /**
   * Applies a committed proposal at raft index {@code at}. Every replica runs this in log order
   * with the same input, so every check here decides the same way everywhere; a proposal that
   * fails a check changes nothing and its error goes back to the proposer.
   */
  public void apply(Proposal proposal, long at) {
    lock.writeLock().lock();
    List<StoreEvent> events = new ArrayList<>(proposal.actions().size() + 1);
    try {
      check(proposal);
      for (StoreAction a : proposal.actions()) {
        Table t = tables.get(a.kind());
        switch (a.op()) {
          case CREATE -> {
            StoreObject o = a.object().stamped(at, proposal.at());
            t.put(o);
            events.add(new StoreEvent.Created(o));
          }
          case UPDATE -> {
            StoreObject old = t.get(a.id());
            StoreObject o = a.object().stamped(at, proposal.at());
            t.put(o);
            events.add(new StoreEvent.Updated(old, o));
          }
          case DELETE -> events.add(new StoreEvent.Deleted(t.remove(a.id())));
        }
      }
      index = Math.max(index, at);
      events.add(new StoreEvent.Commit(at));
      for (Watch w : watches) for (StoreEvent e : events) w.offer(e);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** The whole proposal is checked before any of it is applied: all or nothing. */
  private void check(Proposal p) {
    Overlay probe = new Overlay(committed);
    for (StoreAction a : p.actions()) {
      StoreObject cur = tables.get(a.kind()).get(a.id());
      if (a.op() != StoreAction.Op.CREATE && cur != null && cur.version().index() != a.expected()) {
        throw new ShoalException.SequenceConflict("update out of sequence");
      }
      replay(probe, a);
    }
  }

  /** The raft index covered by the last applied proposal, and every object, as bytes. */
  public byte[] snapshot() {
    lock.readLock().lock();
    try {
      Map<StoreObject.Kind, List<StoreObject>> copy = new EnumMap<>(StoreObject.Kind.class);
      tables.forEach((k, t) -> copy.put(k, t.snapshot()));
      return Codec.encodeSnapshot(index, copy);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Replaces the whole state with a snapshot; watchers get {@link StoreEvent.Reset}. */
  public void restore(byte[] snapshot) {
    Codec.Snapshot s = Codec.decodeSnapshot(snapshot);
    lock.writeLock().lock();
    try {
      tables.values().forEach(Table::clear);
      s.tables().forEach((k, list) -> list.forEach(tables.get(k)::put));
      index = s.index();
      for (Watch w : watches) w.offer(new StoreEvent.Reset(index));
    } finally {
      lock.writeLock().unlock();
    }
  }

  private Proposer requireProposer() {
    Proposer p = proposer;
    if (p == null) throw new ShoalException.Unavailable("the store has no proposer (not a manager)");
    return p;
  }

  private static ShoalException.Unavailable notCommitted() {
    return new ShoalException.Unavailable("the write was not committed within " + COMMIT_TIMEOUT.toSeconds()
        + "s: the swarm does not have a leader with quorum. It's possible that too few managers are online.");
  }

  private void notInsideCallback() {
    // the callback holds the writer lock, which settling the outer write needs: it would deadlock
    if (writer.isHeldByCurrentThread()) throw new IllegalStateException("store write inside a transaction callback");
  }

  /** Waits for one transaction's commit; a transaction not sent by then is taken back, so it never applies. */
  private void await(PendingTx tx) {
    try {
      tx.future.get(COMMIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof ShoalException se) throw se;
      if (c instanceof RuntimeException re) throw re;
      throw new ShoalException.Unavailable("write failed: " + c.getMessage(), c);
    } catch (TimeoutException e) {
      ShoalException.Unavailable u = notCommitted();
      pipeline.discard(List.of(tx), u);
      throw u;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ShoalException.Unavailable("interrupted while waiting for the write to commit");
    }
  }

  /** Reads the committed tables; callers hold the read or write lock. */
  private final ReadTx committed = new ReadTx() {
    @Override
    @SuppressWarnings("unchecked")
    public <T extends StoreObject> T get(StoreObject.Kind kind, String id) {
      return id == null ? null : (T) tables.get(kind).get(id);
    }

    @Override
    public <T extends StoreObject> T byName(StoreObject.Kind kind, String name) {
      String id = tables.get(kind).idByName(name);
      return id == null ? null : get(kind, id);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends StoreObject> List<T> all(StoreObject.Kind kind) {
      return (List<T>) new ArrayList<>(tables.get(kind).all());
    }

    @Override
    public List<Task> tasksOfService(String serviceId) {
      return resolve(tables.get(StoreObject.Kind.TASK).idsByService(serviceId));
    }

    @Override
    public List<Task> tasksOfNode(String nodeId) {
      return resolve(tables.get(StoreObject.Kind.TASK).idsByNode(nodeId));
    }

    private List<Task> resolve(Set<String> ids) {
      Table t = tables.get(StoreObject.Kind.TASK);
      List<Task> out = new ArrayList<>(ids.size());
      for (String id : ids) out.add((Task) t.get(id));
      return out;
    }

    @Override
    public long index() {
      return index;
    }
  };
}
