package io.shoal.store;

import io.shoal.api.error.ShoalException;
import io.shoal.api.model.StoreObject;
import io.shoal.api.model.Task;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * its callback under one writer lock (transactions are serialised, so each sees the previous one's
 * result) and then waits for the proposal to be applied; {@link #apply} runs on the proposer's
 * apply thread under the write lock. Watch queues are filled during apply.
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

  public MemoryStore(Clock clock) {
    this.clock = clock;
    for (StoreObject.Kind k : StoreObject.Kind.values()) tables.put(k, new Table(k));
  }

  public void setProposer(Proposer proposer) {
    this.proposer = proposer;
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
    Proposer p = requireProposer();
    writer.lock();
    try {
      Overlay tx;
      T result;
      lock.readLock().lock();
      try {
        tx = new Overlay(committed);
        result = fn.apply(tx);
      } finally {
        lock.readLock().unlock();
      }
      List<StoreAction> actions = tx.actions();
      if (!actions.isEmpty()) await(p.propose(new Proposal(clock.instant(), actions)));
      return result;
    } finally {
      writer.unlock();
    }
  }

  /**
   * Runs many small transactions, committing them in proposals of up to {@link
   * #MAX_BATCH_ACTIONS} actions. Unlike {@link #update}, the batch is not atomic as a whole: each
   * flushed proposal is. Used where thousands of objects change at once (scaling, node loss).
   */
  public void batch(Consumer<Batch> fn) {
    Proposer p = requireProposer();
    writer.lock();
    try {
      Batch b = new Batch(p);
      fn.accept(b);
      b.flush();
    } finally {
      writer.unlock();
    }
  }

  /** A sequence of small transactions flushed in bounded proposals; see {@link #batch}. */
  public final class Batch {
    private final Proposer p;
    private final List<StoreAction> pending = new ArrayList<>();
    /** Committed state plus this batch's unflushed writes; rebuilt after each flush. */
    private Overlay running = new Overlay(committed);

    private Batch(Proposer p) {
      this.p = p;
    }

    /** Runs one transaction; it reads the state as of the last flush plus the batch's writes. */
    public void update(Consumer<WriteTx> fn) {
      List<StoreAction> actions;
      lock.readLock().lock();
      try {
        Overlay tx = new Overlay(running);
        fn.accept(tx);
        actions = tx.actions();
      } finally {
        lock.readLock().unlock();
      }
      // a transaction is never split, and never pushes a proposal past the limit: flush first.
      // Its reads saw the pending writes; once flushed they are committed, so they still hold.
      if (!pending.isEmpty() && pending.size() + actions.size() > MAX_BATCH_ACTIONS) flush();
      lock.readLock().lock();
      try {
        for (StoreAction a : actions) {
          replay(running, a);
          pending.add(a);
        }
      } finally {
        lock.readLock().unlock();
      }
      if (pending.size() >= MAX_BATCH_ACTIONS) flush();
    }

    void flush() {
      if (pending.isEmpty()) return;
      List<StoreAction> out = new ArrayList<>(pending);
      pending.clear();
      running = new Overlay(committed);
      await(p.propose(new Proposal(clock.instant(), out)));
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

  private static void await(java.util.concurrent.CompletableFuture<Long> f) {
    try {
      f.get(COMMIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof ShoalException se) throw se;
      if (c instanceof RuntimeException re) throw re;
      throw new ShoalException.Unavailable("write failed: " + c.getMessage(), c);
    } catch (TimeoutException e) {
      throw new ShoalException.Unavailable(
          "the write was not committed within " + COMMIT_TIMEOUT.toSeconds()
              + "s: the swarm does not have a leader with quorum. It's possible that too few managers are online.");
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
