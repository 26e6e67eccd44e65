package io.shoal.testkit.sim;

import io.shoal.api.dispatch.TaskStatusUpdate;
import io.shoal.api.model.Ids;
import io.shoal.api.model.Node;
import io.shoal.api.model.Resources;
import io.shoal.api.model.Task;
import io.shoal.api.model.TaskState;
import io.shoal.store.MemoryStore;
import io.shoal.store.ReadTx;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The leader's dispatcher, modelled. {@code io.shoal.manager.dispatcher.DispatcherService} starts
 * two threads in its constructor and blocks in {@code store.update}, so it cannot run on a
 * simulated clock; its rules are reproduced here, rule for rule:
 * <ul>
 *   <li>register writes the node READY (creating it as an active worker if unknown), then opens a
 *       session; a new leader starts with no sessions;</li>
 *   <li>heartbeats and status reports refresh the session; a session silent for {@link
 *       #MISSED_HEARTBEATS} periods is dropped and its node written DOWN; nodes READY in the store
 *       without a session get the same grace from the dispatcher's start;</li>
 *   <li>status reports are queued per (node, task) and written in one batch, only for tasks on that
 *       node, only forward, only when changed;</li>
 *   <li>assignments are the node's tasks from ASSIGNED on. The real one streams a full set, then
 *       increments over an ordered stream; here every change and every heartbeat sends the full
 *       set, numbered so an agent ignores one that arrives after a newer one.</li>
 * </ul>
 */
final class SimDispatcher {
  static final int MISSED_HEARTBEATS = 3;
  static final long PERIOD_MS = 5000;
  private static final long FLUSH_MS = 50;
  private static final long EXPIRY_CHECK_MS = 500;

  private final SimManager m;
  private final LeaderServices services;
  private final Sim sim;
  private final MemoryStore store;
  private final long startedAt;
  private final Map<String, Session> sessions = new TreeMap<>();
  private final Map<String, TaskStatusUpdate> queue = new LinkedHashMap<>();
  private final List<Sim.Event> timers = new ArrayList<>();
  private boolean flushScheduled;
  private boolean flushing;
  private boolean expiring;
  private boolean pushScheduled;

  private static final class Session {
    final String id;
    long lastSeen;
    /** The period this agent was last told; its deadline follows it (as DispatcherService). */
    long told;
    String sent = "";

    Session(String id, long now, long told) {
      this.id = id;
      this.lastSeen = now;
      this.told = told;
    }
  }

  SimDispatcher(SimManager m, LeaderServices services) {
    this.m = m;
    this.services = services;
    this.sim = m.sim();
    this.store = m.store();
    this.startedAt = sim.now();
  }

  void start() {
    expiryTick();
  }

  void stop() {
    timers.forEach(Sim.Event::cancel);
    sessions.clear();
  }

  private long period() {
    var c = store.view(ReadTx::cluster);
    return c == null ? PERIOD_MS : c.spec().heartbeatNanos() / 1_000_000L;
  }

  void receive(String from, Object msg) {
    if (msg instanceof Wire.Register r) {
      register(from, r.node());
    } else if (msg instanceof Wire.Heartbeat h) {
      Session s = sessions.get(h.node());
      if (s == null || !s.id.equals(h.session())) {
        send(from, new Wire.HeartbeatReply(h.session(), 0, "session expired", null));
        return;
      }
      s.lastSeen = sim.now();
      s.told = period();
      enqueue(h.node(), h.statuses());
      send(from, new Wire.HeartbeatReply(s.id, s.told, null, null));
      s.sent = "";
      push(h.node(), s);
    } else if (msg instanceof Wire.Statuses st) {
      Session s = sessions.get(st.node());
      if (s == null || !s.id.equals(st.session())) return;
      s.lastSeen = sim.now();
      enqueue(st.node(), st.statuses());
    }
  }

  private void register(String from, String nodeId) {
    Node.Description d = new Node.Description(nodeId, new Node.Platform("x86_64", "linux"),
        new Resources.Limits(4_000_000_000L, 8L << 30, null, null), new Node.Engine("sim", Map.of(), null), null);
    var w = m.write("register " + nodeId, s -> {
      s.update(tx -> {
        Node n = tx.node(nodeId);
        Node.Status ready = new Node.Status(Node.READY, null, nodeId);
        if (n == null) {
          tx.create(new Node(nodeId, null, null, null, new Node.NodeSpec(null, Map.of(), "worker", Node.NodeSpec.ACTIVE), d, ready, null));
        } else {
          tx.update(n.withDescription(d).withStatus(ready));
        }
      });
      return null;
    });
    w.ack().whenComplete((x, e) -> {
      if (services.stopped()) return;
      if (e != null) {
        send(from, new Wire.Registered(null, 0, "registration failed: " + e.getMessage(), null));
        return;
      }
      Session s = new Session(Ids.newId(sim.random()), sim.now(), period());
      sessions.put(nodeId, s);
      sim.note(m.id() + " session " + s.id.substring(0, 6) + " for " + nodeId);
      send(from, new Wire.Registered(s.id, s.told, null, null));
      push(nodeId, s);
    });
  }

  private void enqueue(String node, List<TaskStatusUpdate> updates) {
    for (TaskStatusUpdate u : updates) queue.put(node + "/" + u.taskId(), u);
    scheduleFlush();
  }

  private void scheduleFlush() {
    if (!flushScheduled && !queue.isEmpty()) {
      flushScheduled = true;
      timers.add(sim.after(FLUSH_MS, m.id() + " dispatcher flush", this::flush));
    }
  }

  /** As DispatcherService.writeStatuses: one batch, forward only, only the task's own node. */
  private void flush() {
    flushScheduled = false;
    if (services.stopped() || queue.isEmpty()) return;
    if (flushing) {
      scheduleFlush(); // after the write in flight, as the flusher thread would
      return;
    }
    Map<String, TaskStatusUpdate> work = new LinkedHashMap<>(queue);
    queue.clear();
    flushing = true;
    var w = m.write("statuses", s -> {
      s.batch(b -> {
        for (Map.Entry<String, TaskStatusUpdate> e : work.entrySet()) {
          String node = e.getKey().substring(0, e.getKey().indexOf('/'));
          TaskStatusUpdate u = e.getValue();
          b.update(tx -> {
            Task t = tx.task(u.taskId());
            if (t == null || !node.equals(t.nodeID())) return;
            if (u.status().state().compareTo(t.state()) < 0 && !m.cluster().has(Mutation.STATUS_BACKWARDS)) return;
            if (u.status().equals(t.status())) return;
            tx.update(t.withStatus(u.status()));
          });
        }
      });
      return null;
    });
    w.ack().whenComplete((x, e) -> {
      flushing = false;
      scheduleFlush();
    });
  }

  /** As DispatcherService.expireSessions. */
  private void expiryTick() {
    if (services.stopped()) return;
    timers.add(sim.after(EXPIRY_CHECK_MS, m.id() + " dispatcher expiry", this::expiryTick));
    if (expiring) return;
    long deadline = sim.now() - period() * MISSED_HEARTBEATS;
    List<String> down = new ArrayList<>();
    sessions.forEach((node, s) -> {
      if (s.lastSeen + s.told * MISSED_HEARTBEATS < sim.now()) down.add(node);
    });
    boolean graceOver = startedAt < deadline;
    for (Node n : store.view(ReadTx::nodes)) {
      if (graceOver && n.isReady() && !sessions.containsKey(n.id())) down.add(n.id());
    }
    if (down.isEmpty()) return;
    down.forEach(sessions::remove);
    sim.note(m.id() + " marks down " + down);
    expiring = true;
    m.write("nodes down", s -> {
      s.batch(b -> {
        for (String id : down) {
          b.update(tx -> {
            Node n = tx.node(id);
            if (n != null && !Node.DOWN.equals(n.status() == null ? null : n.status().state())) {
              tx.update(n.withStatus(new Node.Status(Node.DOWN, "heartbeat failure", n.status() == null ? null : n.status().addr())));
            }
          });
        }
      });
      return null;
    }).ack().whenComplete((x, e) -> expiring = false);
  }

  /** The store changed: send every session whose set changed its new full set (debounced). */
  void changed() {
    if (pushScheduled) return;
    pushScheduled = true;
    timers.add(sim.after(LeaderServices.DEBOUNCE_MS, m.id() + " dispatcher assignments", () -> {
      pushScheduled = false;
      if (!services.stopped()) sessions.forEach(this::push);
    }));
  }

  private void push(String node, Session s) {
    List<Task> tasks = store.view(tx -> {
      List<Task> out = new ArrayList<>();
      for (Task t : tx.tasksOfNode(node)) if (t.state().atLeast(TaskState.ASSIGNED)) out.add(t);
      out.sort(java.util.Comparator.comparing(Task::id));
      return out;
    });
    StringBuilder key = new StringBuilder();
    for (Task t : tasks) key.append(t.id()).append(':').append(t.version().index()).append(',');
    if (key.toString().equals(s.sent)) return;
    s.sent = key.toString();
    send(node, new Wire.AssignmentSet(s.id, store.index(), tasks));
  }

  private void send(String to, Object msg) {
    m.cluster().network().send(m.id(), to, msg);
  }

  int sessionCount() {
    return sessions.size();
  }
}
