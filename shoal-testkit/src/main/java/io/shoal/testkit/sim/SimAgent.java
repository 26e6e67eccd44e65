package io.shoal.testkit.sim;

import io.shoal.api.dispatch.TaskStatusUpdate;
import io.shoal.api.model.Task;
import io.shoal.api.model.TaskState;
import io.shoal.api.model.TaskStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A simulated worker node: an agent session with whichever manager leads, and a hollow runtime
 * whose tasks walk their states with seeded latencies.
 *
 * <p>Why not shoal-agent's TaskStateMachine and Reconciler: shoal-agent depends on this module for
 * its tests, so this module cannot depend on it (Maven refuses the cycle even through test scope).
 * Their rules are mirrored instead, and kept to what the managers can observe:
 * <ul>
 *   <li>states only move forward: ACCEPTED, PREPARING, READY (a prepare may be REJECTED),
 *       STARTING, RUNNING; a task desired READY (a stop-first replacement) waits at READY;</li>
 *   <li>desired SHUTDOWN or later stops the task (SHUTDOWN unless it already ended); a running
 *       task may exit by itself (FAILED, non-zero exit), as the failure rate says;</li>
 *   <li>only a full set from a manager removes tasks: a task no longer assigned is stopped and
 *       forgotten; cut off from every manager, the agent keeps running what it has;</li>
 *   <li>assignments are kept "on disk": a killed node loses its containers, and when it comes back
 *       a task it had RUNNING is reported FAILED (its container is gone), as the real agent's
 *       runner finds when it waits on a container that is not there.</li>
 * </ul>
 * Heartbeats go every period to the session's manager; a missing answer or "not the leader"
 * makes the agent register again, with the leader it was told about or the next manager.
 */
public final class SimAgent {
  private static final long RETRY_MS = 1000;

  private final SimCluster cluster;
  private final Sim sim;
  private final String id;
  private final List<String> managers;
  private final TreeMap<String, Local> tasks = new TreeMap<>();
  private Map<String, Task> persisted = new TreeMap<>();
  private boolean up = true;
  private String manager;
  private String session;
  private String hint;
  private long period = SimDispatcher.PERIOD_MS;
  private long lastSeq = -1;
  private int rotation;
  private boolean awaiting;
  private Sim.Event timer;
  private double failureRate = 0.05;
  private double rejectRate = 0.02;

  /** One task on this node: its status as this agent knows it, and whether a container runs. */
  private final class Local {
    final Task task;
    TaskStatus status;
    TaskState desired;
    boolean container;
    boolean busy;
    Sim.Event exit;

    Local(Task t) {
      task = t;
      status = t.status();
      desired = t.desiredState();
    }
  }

  SimAgent(SimCluster cluster, String id, List<String> managers) {
    this.cluster = cluster;
    this.sim = cluster.sim();
    this.id = id;
    this.managers = List.copyOf(managers);
    this.rotation = (int) sim.between(0, managers.size() - 1);
    cluster.network().register(id, this::receive);
  }

  void start() {
    schedule(sim.between(0, 500));
  }

  /** Task exits and prepare rejections on or off (off for the quiet period before convergence). */
  public void setFaults(double failureRate, double rejectRate) {
    this.failureRate = failureRate;
    this.rejectRate = rejectRate;
  }

  private void schedule(long delay) {
    if (timer != null) timer.cancel();
    timer = sim.after(delay, id + " heartbeat", this::tick);
  }

  private void tick() {
    if (!up) return;
    if (awaiting) {
      // no answer: that manager is gone as far as this agent can tell
      sim.note(id + " lost " + manager);
      session = null;
      hint = null;
      awaiting = false;
    }
    awaiting = true;
    if (session == null) {
      manager = hint != null ? hint : managers.get(rotation++ % managers.size());
      hint = null;
      send(new Wire.Register(id));
      schedule(RETRY_MS);
    } else {
      send(new Wire.Heartbeat(id, session, statuses()));
      schedule(period);
    }
  }

  private void retrySoon(String leaderHint) {
    session = null;
    awaiting = false;
    hint = leaderHint;
    schedule(sim.between(50, 300));
  }

  private void receive(String from, Object msg) {
    if (!up || !from.equals(manager)) return;
    if (msg instanceof Wire.Registered r) {
      awaiting = false;
      if (r.error() != null) {
        retrySoon(r.leaderHint());
        return;
      }
      session = r.session();
      period = r.periodMillis();
      lastSeq = -1;
      schedule(period);
    } else if (msg instanceof Wire.HeartbeatReply h) {
      if (session == null || !session.equals(h.session())) return;
      awaiting = false;
      if (h.error() != null) retrySoon(h.leaderHint());
      else period = h.periodMillis();
    } else if (msg instanceof Wire.AssignmentSet a) {
      if (session == null || !session.equals(a.session()) || a.seq() < lastSeq) return;
      lastSeq = a.seq();
      reconcile(a.tasks(), true);
    }
  }

  /** Mirrors Reconciler.plan: start what is new, update desired states, stop what is gone. */
  private void reconcile(List<Task> assigned, boolean authoritative) {
    Map<String, Task> next = new TreeMap<>();
    for (Task t : assigned) next.put(t.id(), t);
    persisted = next;
    for (Task t : next.values()) {
      Local l = tasks.get(t.id());
      if (l == null) {
        if (t.state().terminal()) continue;
        l = new Local(t);
        tasks.put(t.id(), l);
        step(l);
      } else if (t.desiredState().compareTo(l.desired) > 0) {
        l.desired = t.desiredState();
        step(l);
      }
    }
    if (!authoritative) return;
    for (String gone : new ArrayList<>(tasks.keySet())) {
      if (next.containsKey(gone)) continue;
      Local l = tasks.remove(gone);
      if (l.exit != null) l.exit.cancel();
      if (l.container) sim.note(id + " stops unassigned " + gone.substring(0, 6));
    }
  }

  /** Mirrors TaskStateMachine.next: one step at a time, each after a seeded latency. */
  private void step(Local l) {
    if (l.busy || !up) return;
    TaskState s = l.status.state();
    if (l.desired.atLeast(TaskState.SHUTDOWN) && !cluster.has(Mutation.AGENT_IGNORES_SHUTDOWN)) {
      if (s.before(TaskState.COMPLETE) || l.container) {
        op(l, sim.between(5, 300), "shutdown", () -> {
          stopContainer(l);
          if (l.status.state().before(TaskState.COMPLETE)) move(l, TaskState.SHUTDOWN, "shutdown", null);
        });
      }
      return;
    }
    if (s.terminal()) {
      if (l.container) op(l, sim.between(5, 300), "stop", () -> stopContainer(l));
      return;
    }
    TaskState target = l.desired.before(TaskState.RUNNING) ? l.desired : TaskState.RUNNING;
    switch (s) {
      case NEW, PENDING, ASSIGNED -> gate(l, target, TaskState.ACCEPTED, sim.between(1, 20), () -> move(l, TaskState.ACCEPTED, "accepted", null));
      case ACCEPTED -> gate(l, target, TaskState.PREPARING, sim.between(1, 20), () -> move(l, TaskState.PREPARING, "preparing", null));
      case PREPARING -> gate(l, target, TaskState.READY, sim.between(20, 800), () -> {
        if (sim.chance(rejectRate)) move(l, TaskState.REJECTED, l.status.message(), "No such image: sim/missing");
        else move(l, TaskState.READY, "prepared", null);
      });
      case READY -> gate(l, target, TaskState.STARTING, sim.between(1, 20), () -> move(l, TaskState.STARTING, "starting", null));
      case STARTING -> op(l, sim.between(20, 1500), "start", () -> {
        l.container = true;
        move(l, TaskState.RUNNING, "started", null);
        if (sim.chance(failureRate)) l.exit = sim.after(sim.between(2000, 60000), id + " exit " + l.task.id().substring(0, 6), () -> exit(l));
      });
      case RUNNING -> {
        // RUNNING with no container: the node was restarted under it; waiting on it fails
        if (!l.container) op(l, sim.between(1, 50), "lost", () -> move(l, TaskState.FAILED, "failed", "task: container lost with its node"));
      }
      default -> { }
    }
  }

  private void gate(Local l, TaskState target, TaskState next, long delay, Runnable r) {
    if (!target.before(next)) op(l, delay, next.wire(), r);
  }

  private void op(Local l, long delay, String what, Runnable r) {
    l.busy = true;
    sim.after(delay, id + " " + what + " " + l.task.id().substring(0, 6), () -> {
      l.busy = false;
      if (!up || tasks.get(l.task.id()) != l) return;
      r.run();
      step(l);
    });
  }

  private void exit(Local l) {
    if (!up || tasks.get(l.task.id()) != l || !l.container || l.status.state() != TaskState.RUNNING) return;
    stopContainer(l);
    move(l, TaskState.FAILED, "failed", "task: non-zero exit (1)");
    step(l);
  }

  private void stopContainer(Local l) {
    l.container = false;
    if (l.exit != null) l.exit.cancel();
  }

  private void move(Local l, TaskState to, String message, String err) {
    if (to.before(l.status.state())) throw new IllegalStateException(id + ": task " + l.task.id() + " would go back from " + l.status.state() + " to " + to);
    TaskStatus next = l.status.moved(sim.clock().instant(), to, message);
    if (err != null) next = next.withErr(err);
    l.status = next;
    if (session != null) send(new Wire.Statuses(id, session, List.of(new TaskStatusUpdate(l.task.id(), next))));
  }

  private List<TaskStatusUpdate> statuses() {
    List<TaskStatusUpdate> out = new ArrayList<>();
    for (Local l : tasks.values()) out.add(new TaskStatusUpdate(l.task.id(), l.status));
    return out;
  }

  private void send(Object msg) {
    cluster.network().send(id, manager, msg);
  }

  // ---- faults ----

  /** The machine dies: containers and the session go; the assignments on disk stay. */
  public void kill() {
    sim.note(id + " killed");
    up = false;
    cluster.network().setUp(id, false);
    if (timer != null) timer.cancel();
    tasks.values().forEach(this::stopContainer);
    tasks.clear();
    session = null;
    awaiting = false;
  }

  /** The machine is back: the agent starts from its saved assignments, then registers. */
  public void revive() {
    sim.note(id + " revived");
    up = true;
    cluster.network().setUp(id, true);
    lastSeq = -1;
    reconcile(new ArrayList<>(persisted.values()), false);
    schedule(sim.between(100, 1000));
  }

  // ---- reads for the invariants ----

  public String id() {
    return id;
  }

  public boolean isUp() {
    return up;
  }

  /** Task ids whose container runs on this node now (the ground truth). */
  public Set<String> runningContainers() {
    Set<String> out = new TreeSet<>();
    if (!up) return out;
    tasks.forEach((tid, l) -> {
      if (l.container) out.add(tid);
    });
    return out;
  }

  /** The task records as last assigned, for tasks whose container runs. */
  public List<Task> runningTasks() {
    List<Task> out = new ArrayList<>();
    if (!up) return out;
    for (Local l : tasks.values()) if (l.container) out.add(l.task);
    return out;
  }

  public boolean connected() {
    return session != null;
  }
}
