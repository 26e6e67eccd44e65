package io.shoal.manager.dispatcher;

import io.shoal.api.dispatch.Assignments;
import io.shoal.api.dispatch.Dispatcher;
import io.shoal.api.dispatch.TaskStatusUpdate;
import io.shoal.api.model.Cluster;
import io.shoal.api.model.Config;
import io.shoal.api.model.ConfigReference;
import io.shoal.api.model.Ids;
import io.shoal.api.model.Node;
import io.shoal.api.model.Secret;
import io.shoal.api.model.SecretReference;
import io.shoal.api.model.StoreObject;
import io.shoal.api.model.Task;
import io.shoal.api.model.TaskState;
import io.shoal.store.MemoryStore;
import io.shoal.store.ReadTx;
import io.shoal.store.StoreEvent;
import io.shoal.store.Watch;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's side of every agent session: registers nodes, tracks heartbeats (a node that
 * misses three periods is marked DOWN), writes the agents' task status reports in batches, and
 * streams each node its assignments — the full set first, then increments.
 *
 * <p>Built for many nodes on one leader: no thread per node. One thread watches the store and
 * fans out increments; one thread flushes status reports (all nodes' reports in one batch) and
 * checks heartbeat deadlines. Listener callbacks run on the watch thread and must not block.
 */
public final class DispatcherService implements Dispatcher, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DispatcherService.class);
  /** A node is DOWN after this many missed heartbeat periods (Swarm: 3). */
  public static final int MISSED_HEARTBEATS = 3;
  private static final Duration FLUSH = Duration.ofMillis(50);

  private final MemoryStore store;
  private final Clock clock;
  private final RandomGenerator random;
  private final Map<String, SessionState> sessions = new ConcurrentHashMap<>();
  private final Map<String, TaskStatusUpdate> statusQueue = new LinkedHashMap<>();
  private final Instant startedAt;
  private final Supplier<Instant> servingSince;
  private volatile boolean running = true;
  /** Nodes this dispatcher marked UNKNOWN when it started: DOWN if they do not register in time. */
  private final java.util.Set<String> unknownAtStart = ConcurrentHashMap.newKeySet();
  private final java.util.concurrent.atomic.AtomicLong sweeps = new java.util.concurrent.atomic.AtomicLong();
  private final Thread fanout;
  private final Thread flusher;
  private final Watch watch;

  public DispatcherService(MemoryStore store, Clock clock, RandomGenerator random) {
    this(store, clock, random, () -> Instant.MIN);
  }

  /**
   * @param servingSince when this manager's cluster port began serving agents, null while it does
   *     not yet: the grace of nodes without a session starts then (or at this dispatcher's start,
   *     whichever is later), so nodes are never marked down for a delay that was this manager's own
   */
  public DispatcherService(MemoryStore store, Clock clock, RandomGenerator random, Supplier<Instant> servingSince) {
    this.store = store;
    this.clock = clock;
    this.random = random;
    this.servingSince = servingSince;
    this.startedAt = clock.instant();
    this.watch = store.watch(e -> e.subject() instanceof Task || e.subject() instanceof Cluster);
    this.periodMillis = readPeriodMillis();
    markUnknown();
    this.fanout = new Thread(this::fanoutLoop, "shoal-dispatcher-assignments");
    this.flusher = new Thread(this::flushLoop, "shoal-dispatcher-status");
    fanout.setDaemon(true);
    flusher.setDaemon(true);
    fanout.start();
    flusher.start();
  }

  /**
   * A new dispatcher (a new leader, or a restarted single manager) has no sessions: what the store
   * says of node status was written by its predecessor. Like Swarm, it marks every node not already
   * down UNKNOWN until the node registers here, so "Ready" always means "has a session with this
   * leader" and a user waiting for Ready knows the node's registration write is behind them.
   * Nodes that never register go DOWN after the usual grace. UNKNOWN is not "lost": their tasks stay.
   */
  private void markUnknown() {
    try {
      List<Node> nodes = store.view(ReadTx::nodes);
      store.batch(b -> {
        for (Node seen : nodes) {
          if (seen.status() == null || Node.DOWN.equals(seen.status().state())) continue;
          b.update(tx -> {
            Node n = tx.node(seen.id());
            if (n == null || sessions.containsKey(n.id()) || n.status() == null
                || Node.DOWN.equals(n.status().state()) || Node.UNKNOWN.equals(n.status().state())) return;
            tx.update(n.withStatus(new Node.Status(Node.UNKNOWN, UNKNOWN_MESSAGE, n.status().addr())));
            unknownAtStart.add(n.id());
          });
        }
      });
    } catch (RuntimeException e) {
      // not fatal: registrations write READY and the sweep still marks silent nodes DOWN
      log.warn("could not mark nodes unknown after becoming leader: {}", e.toString());
    }
  }

  /** Status message of a node this leader has not heard from yet. */
  public static final String UNKNOWN_MESSAGE = "node state unknown since the leader changed; waiting for it to register";

  private static final class SessionState {
    final String nodeId;
    final String sessionId;
    volatile Instant lastSeen;
    /**
     * The heartbeat period this agent was last told: it beats at that pace until its next answer,
     * so its deadline follows it, not the cluster's current setting (lowering the period must not
     * mark every node DOWN at once).
     */
    volatile long toldMillis;
    final List<AssignmentListener> listeners = new CopyOnWriteArrayList<>();
    /** Store index of the last full set sent; older task events are already in it. Guarded by this. */
    long fullIndex;

    SessionState(String nodeId, String sessionId, Instant now, long toldMillis) {
      this.nodeId = nodeId;
      this.sessionId = sessionId;
      this.lastSeen = now;
      this.toldMillis = toldMillis;
    }

    boolean expired(Instant now) {
      return lastSeen.plusMillis(toldMillis * MISSED_HEARTBEATS).isBefore(now);
    }
  }

  /**
   * The heartbeat period, kept from the cluster object by the watch (see {@link #fanoutLoop}):
   * every heartbeat of every node asks for it, and reading it from the store took the store's read
   * lock, so heartbeats queued behind any raft apply waiting for a long reader.
   */
  private volatile long periodMillis;

  private long readPeriodMillis() {
    Cluster c = store.view(ReadTx::cluster);
    return (c == null ? 5_000_000_000L : c.spec().heartbeatNanos()) / 1_000_000L;
  }

  private long periodMillis() {
    return periodMillis;
  }

  @Override
  public Session register(String nodeId, Node.Description description, String addr) {
    try {
      return registerAsync(nodeId, description, addr).join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof RuntimeException re) throw re;
      throw e;
    }
  }

  /**
   * Registers without holding the caller's thread for the store write: registrations arriving
   * together share one raft entry (the store's group commit), and RPC handler threads stay free
   * for heartbeats during a registration storm.
   */
  @Override
  public java.util.concurrent.CompletableFuture<Session> registerAsync(String nodeId, Node.Description description, String addr) {
    try {
      requireRunning();
    } catch (RuntimeException e) {
      return java.util.concurrent.CompletableFuture.failedFuture(e);
    }
    // the session exists before the node reads READY: the expiry sweep must never see a READY
    // node without a session and mark it DOWN while it is registering
    String sid = Ids.newId(random);
    long period = periodMillis();
    SessionState state = new SessionState(nodeId, sid, clock.instant(), period);
    SessionState old = sessions.put(nodeId, state);
    if (old != null) old.listeners.forEach(l -> l.onClosed(new SessionExpired("replaced by a new session")));
    return store.updateAsync(tx -> {
      Node n = tx.node(nodeId);
      Node.Status ready = new Node.Status(Node.READY, null, addr);
      if (n == null) {
        // a node the CA admitted but the store has not seen yet joins as a worker
        tx.create(new Node(nodeId, null, null, null,
            new Node.NodeSpec(null, Map.of(), "worker", Node.NodeSpec.ACTIVE), description, ready, null));
      } else {
        tx.update(n.withDescription(description).withStatus(ready));
      }
    }).thenApply(v -> {
      // the node cannot heartbeat before it has its session id: its periods start now, not when
      // the write was queued (behind a registration storm that can be longer than 3 periods)
      state.lastSeen = clock.instant();
      log.info("node {} registered at {} (session {})", nodeId, addr, sid);
      return new Session(sid, period);
    });
  }

  @Override
  public long heartbeat(String nodeId, String sessionId) {
    SessionState s = session(nodeId, sessionId);
    long period = periodMillis();
    s.lastSeen = clock.instant();
    s.toldMillis = period;
    return period;
  }

  @Override
  public void updateTaskStatus(String nodeId, String sessionId, List<TaskStatusUpdate> updates) {
    SessionState s = session(nodeId, sessionId);
    s.lastSeen = clock.instant();
    synchronized (statusQueue) {
      for (TaskStatusUpdate u : updates) statusQueue.put(nodeId + "/" + u.taskId(), u);
      statusQueue.notifyAll();
    }
  }

  @Override
  public AutoCloseable assignments(String nodeId, String sessionId, AssignmentListener listener) {
    SessionState s = session(nodeId, sessionId);
    // full set and subscription under one read, so no increment is lost in between
    synchronized (s) {
      Assignments full = store.view(tx -> {
        s.fullIndex = tx.index();
        return fullSet(tx, nodeId);
      });
      s.listeners.add(listener);
      listener.onAssignments(full);
    }
    return () -> s.listeners.remove(listener);
  }

  private SessionState session(String nodeId, String sessionId) {
    requireRunning();
    SessionState s = sessions.get(nodeId);
    if (s == null || !s.sessionId.equals(sessionId)) throw new SessionExpired("session " + sessionId + " of node " + nodeId + " is not known");
    return s;
  }

  private void requireRunning() {
    if (!running) throw new SessionExpired("dispatcher stopped: this manager is no longer the leader");
  }

  /** What a node runs: tasks placed on it, from ASSIGNED on, and the secrets and configs they use. */
  static boolean assignable(Task t) {
    return t.state().atLeast(TaskState.ASSIGNED);
  }

  private Assignments fullSet(ReadTx tx, String nodeId) {
    List<Task> tasks = new ArrayList<>();
    for (Task t : tx.tasksOfNode(nodeId)) if (assignable(t)) tasks.add(t);
    return new Assignments(true, tasks, List.of(), secretsOf(tx, tasks), configsOf(tx, tasks), List.of(), List.of());
  }

  private static List<Secret> secretsOf(ReadTx tx, List<Task> tasks) {
    Map<String, Secret> out = new LinkedHashMap<>();
    for (Task t : tasks) {
      var refs = t.spec().containerSpec() == null ? null : t.spec().containerSpec().secrets();
      if (refs == null) continue;
      for (SecretReference r : refs) {
        Secret s = tx.get(StoreObject.Kind.SECRET, r.secretID());
        if (s != null) out.put(s.id(), s);
      }
    }
    return new ArrayList<>(out.values());
  }

  private static List<Config> configsOf(ReadTx tx, List<Task> tasks) {
    Map<String, Config> out = new LinkedHashMap<>();
    for (Task t : tasks) {
      var refs = t.spec().containerSpec() == null ? null : t.spec().containerSpec().configs();
      if (refs == null) continue;
      for (ConfigReference r : refs) {
        Config c = tx.get(StoreObject.Kind.CONFIG, r.configID());
        if (c != null) out.put(c.id(), c);
      }
    }
    return new ArrayList<>(out.values());
  }

  /** Turns task events into per-node increments; only changes an agent acts on are sent. */
  private void fanoutLoop() {
    while (running) {
      try {
        StoreEvent first = watch.take();
        List<StoreEvent> batch = new ArrayList<>();
        batch.add(first);
        batch.addAll(watch.drain());
        Map<String, List<Task>> changed = new HashMap<>();
        Map<String, List<String>> removed = new HashMap<>();
        for (StoreEvent e : batch) {
          if (e instanceof StoreEvent.Reset || e.subject() instanceof Cluster) periodMillis = readPeriodMillis();
          if (e instanceof StoreEvent.Reset) {
            resendAll();
            changed.clear();
            removed.clear();
            continue;
          }
          if (!(e.subject() instanceof Task)) continue;
          Task now = e instanceof StoreEvent.Deleted ? null : (Task) e.subject();
          Task old = e instanceof StoreEvent.Updated u ? (Task) u.old() : e instanceof StoreEvent.Deleted d ? (Task) d.object() : null;
          if (old != null && assignable(old) && (now == null || !Objects.equals(old.nodeID(), now.nodeID()))) {
            removed.computeIfAbsent(old.nodeID(), k -> new ArrayList<>()).add(old.id());
          }
          if (now != null && assignable(now) && relevant(old, now)) {
            changed.computeIfAbsent(now.nodeID(), k -> new ArrayList<>()).add(now);
          }
        }
        for (String node : union(changed.keySet(), removed.keySet())) {
          SessionState s = sessions.get(node);
          if (s == null) continue;
          List<Task> all = changed.getOrDefault(node, List.of());
          List<String> gone = removed.getOrDefault(node, List.of());
          // Checked under the session's lock, which a new subscriber holds while it reads its full
          // set: an event is either in that full set or delivered after it, never lost between
          // the two; and an event the full set already holds is not sent again, older than it.
          synchronized (s) {
            if (s.listeners.isEmpty()) continue;
            long after = s.fullIndex;
            List<Task> tasks = all.stream().filter(t -> t.version().index() > after).toList();
            if (tasks.isEmpty() && gone.isEmpty()) continue;
            Assignments inc = store.view(tx -> new Assignments(false, tasks, gone,
                secretsOf(tx, tasks), configsOf(tx, tasks), List.of(), List.of()));
            for (AssignmentListener l : s.listeners) l.onAssignments(inc);
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        log.warn("dispatcher: assignment fan-out failed: {}", e.toString());
      }
    }
  }

  private static java.util.Set<String> union(java.util.Set<String> a, java.util.Set<String> b) {
    java.util.Set<String> out = new java.util.HashSet<>(a);
    out.addAll(b);
    out.remove(null);
    return out;
  }

  /** The agent cares about new tasks, desired state and spec changes — not its own reports echoed. */
  private static boolean relevant(Task old, Task now) {
    if (old == null || !assignable(old)) return true;
    return old.desiredState() != now.desiredState() || !Objects.equals(old.spec(), now.spec())
        || !Objects.equals(old.endpoint(), now.endpoint());
  }

  private void resendAll() {
    for (SessionState s : sessions.values()) {
      synchronized (s) {
        Assignments full = store.view(tx -> {
          s.fullIndex = tx.index();
          return fullSet(tx, s.nodeId);
        });
        for (AssignmentListener l : s.listeners) l.onAssignments(full);
      }
    }
  }

  /**
   * Another detector says the node is gone (gossip confirmed it dead, or it left): its session
   * counts as expired from now, so the next sweep (within {@code FLUSH}) marks it DOWN and its
   * tasks move, as three missed heartbeats would — seconds earlier. A node that is in fact alive
   * finds its session expired at its next heartbeat and registers again (READY).
   */
  public void nodeUnreachable(String nodeId) {
    SessionState s = sessions.get(nodeId);
    if (s == null) return;
    s.lastSeen = Instant.EPOCH;
    synchronized (statusQueue) {
      statusQueue.notifyAll();
    }
  }

  /** Writes queued status reports in one batch, and marks nodes whose heartbeats stopped DOWN. */
  private void flushLoop() {
    while (running) {
      try {
        Map<String, TaskStatusUpdate> work;
        synchronized (statusQueue) {
          if (statusQueue.isEmpty()) statusQueue.wait(FLUSH.toMillis());
          work = new LinkedHashMap<>(statusQueue);
          statusQueue.clear();
        }
        if (!work.isEmpty()) writeStatuses(work);
        expireSessions();
        sweeps.incrementAndGet();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        log.warn("dispatcher: status flush failed: {}", e.toString());
      }
    }
  }

  private void writeStatuses(Map<String, TaskStatusUpdate> work) {
    store.batch(b -> {
      for (Map.Entry<String, TaskStatusUpdate> e : work.entrySet()) {
        String node = e.getKey().substring(0, e.getKey().indexOf('/'));
        TaskStatusUpdate u = e.getValue();
        b.update(tx -> {
          Task t = tx.task(u.taskId());
          if (t == null || !node.equals(t.nodeID())) return;
          // strictly forward: a late or repeated report never moves a task back
          if (u.status().state().compareTo(t.state()) < 0) return;
          if (u.status().equals(t.status())) return;
          tx.update(t.withStatus(u.status()));
        });
      }
    });
  }

  /**
   * The least time nodes without a session get to register with a new leader, whatever the
   * heartbeat period. After a leader change (or a full restart) an agent first has to notice its
   * old session is gone, then retries with a backoff of up to 5 s (+20 % jitter), and a node
   * restarted with this manager has its own start to finish (JVM, raft replay, cluster port). With
   * {@code --dispatcher-heartbeat 2s} the grace was 6 s and every node of a restarted swarm was
   * marked down and its tasks replaced. 15 s is Swarm's grace at its default period.
   */
  public static final Duration REREGISTRATION_GRACE_MIN = Duration.ofSeconds(15);

  /**
   * Nodes READY in the store with no session here (after a leader change, a restart) get a grace
   * that starts when this manager can serve them: its dispatcher runs and its cluster port serves.
   */
  private boolean reregistrationGraceOver(Instant now, long periodMillis) {
    Instant serving = servingSince.get();
    if (serving == null) return false;
    Instant from = serving.isAfter(startedAt) ? serving : startedAt;
    long grace = Math.max(periodMillis * MISSED_HEARTBEATS, REREGISTRATION_GRACE_MIN.toMillis());
    return from.plusMillis(grace).isBefore(now);
  }

  private void expireSessions() {
    long period = periodMillis();
    Instant now = clock.instant();
    List<String> down = new ArrayList<>();
    for (SessionState s : sessions.values()) {
      if (s.expired(now)) down.add(s.nodeId);
    }
    boolean graceOver = reregistrationGraceOver(now, period);
    List<Node> nodes = store.view(ReadTx::nodes);
    List<String> revive = new ArrayList<>();
    for (Node n : nodes) {
      SessionState live = sessions.get(n.id());
      // READY without a session, or UNKNOWN since this leader started, and silent past the grace. A
      // node that just joined (UNKNOWN, never registered) is left alone: it has no session to lose
      if (graceOver && live == null && (n.isReady() || (unknownAtStart.contains(n.id())
          && n.status() != null && Node.UNKNOWN.equals(n.status().state())))) {
        down.add(n.id());
      }
      // a node with a live session is up, whatever an earlier sweep wrote
      if (live != null && !live.expired(now) && !n.isReady()) revive.add(n.id());
    }
    if (!revive.isEmpty()) markReady(revive);
    if (down.isEmpty()) return;
    for (String id : down) {
      SessionState s = sessions.remove(id);
      if (s != null) s.listeners.forEach(l -> l.onClosed(new SessionExpired("heartbeat failure")));
    }
    store.batch(b -> {
      for (String id : down) {
        b.update(tx -> {
          Node n = tx.node(id);
          if (sessions.containsKey(id)) return; // registered again meanwhile
          if (n != null && !Node.DOWN.equals(n.status() == null ? null : n.status().state())) {
            tx.update(n.withStatus(new Node.Status(Node.DOWN, "heartbeat failure", n.status() == null ? null : n.status().addr())));
          }
        });
      }
    });
    log.warn("nodes marked down after {} missed heartbeats: {}", MISSED_HEARTBEATS, down);
  }

  private void markReady(List<String> ids) {
    store.batch(b -> {
      for (String id : ids) {
        b.update(tx -> {
          Node n = tx.node(id);
          if (n != null && !n.isReady() && sessions.containsKey(id)) {
            tx.update(n.withStatus(new Node.Status(Node.READY, null, n.status() == null ? null : n.status().addr())));
          }
        });
      }
    });
  }

  /** Expiry sweeps done so far (tests wait for one to have run). */
  public long sweeps() {
    return sweeps.get();
  }

  /** Nodes with a live session (for tests and metrics). */
  public int sessionCount() {
    return sessions.size();
  }

  @Override
  public void close() {
    running = false;
    watch.close();
    fanout.interrupt();
    flusher.interrupt();
    for (SessionState s : sessions.values()) {
      s.listeners.forEach(l -> l.onClosed(new SessionExpired("dispatcher stopped")));
    }
    sessions.clear();
  }
}
