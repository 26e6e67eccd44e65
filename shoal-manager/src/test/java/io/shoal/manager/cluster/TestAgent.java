package io.shoal.manager.cluster;

import io.shoal.api.dispatch.Assignments;
import io.shoal.api.dispatch.Dispatcher;
import io.shoal.api.dispatch.TaskStatusUpdate;
import io.shoal.api.model.Node;
import io.shoal.api.model.Resources;
import io.shoal.api.model.Task;
import io.shoal.api.model.TaskState;
import io.shoal.api.model.TaskStatus;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A small but real agent for in-process tests: the client side of the {@link Dispatcher}
 * contract. It registers, heartbeats within the period the manager asks for, re-registers when
 * its session expires, follows its assignments (full set, then increments) and walks each task
 * through ACCEPTED → PREPARING → READY → STARTING → RUNNING, or to SHUTDOWN when asked to stop,
 * reporting every step through {@link Dispatcher#updateTaskStatus}. Nothing actually runs.
 *
 * <p>Threading: all of its work happens on its own single thread; assignment callbacks only
 * hand over to it, as the contract asks.
 */
final class TestAgent implements AutoCloseable {
  private static final List<TaskState> START = List.of(TaskState.ACCEPTED, TaskState.PREPARING, TaskState.READY,
      TaskState.STARTING, TaskState.RUNNING);

  final String nodeId;
  private final Dispatcher dispatcher;
  private final Clock clock;
  private final ScheduledExecutorService exec;
  /** What the manager wants this node to run, by task id. */
  private final Map<String, Task> assigned = new ConcurrentHashMap<>();
  /** What this agent last reported per task: the truth on the node. */
  final Map<String, TaskState> local = new ConcurrentHashMap<>();
  /** Tasks the test made fail: they stay failed. */
  private final Set<String> failed = ConcurrentHashMap.newKeySet();
  private volatile String session;
  private volatile boolean heartbeats = true;
  private volatile AutoCloseable stream;
  volatile int registrations;

  TestAgent(String nodeId, Dispatcher dispatcher, Clock clock) {
    this.nodeId = nodeId;
    this.dispatcher = dispatcher;
    this.clock = clock;
    this.exec = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "test-agent-" + nodeId);
      t.setDaemon(true);
      return t;
    });
  }

  TestAgent start() {
    exec.execute(this::register);
    return this;
  }

  private void register() {
    Node.Description d = new Node.Description("host-" + nodeId, new Node.Platform("x86_64", "linux"),
        new Resources.Limits(2_000_000_000L, 4L << 30, null, null), null, null);
    Dispatcher.Session s = dispatcher.register(nodeId, d, "127.0.0.1");
    session = s.sessionId();
    registrations++;
    String mine = s.sessionId();
    stream = dispatcher.assignments(nodeId, mine, new Dispatcher.AssignmentListener() {
      public void onAssignments(Assignments a) {
        exec.execute(() -> apply(a));
      }

      public void onClosed(Throwable cause) {
        exec.execute(() -> {
          if (heartbeats && mine.equals(session)) register();
        });
      }
    });
    long period = Math.max(10, s.heartbeatPeriodMillis() / 3);
    exec.schedule(() -> heartbeat(mine, period), period, TimeUnit.MILLISECONDS);
  }

  private void heartbeat(String mine, long period) {
    if (!heartbeats || !mine.equals(session)) return;
    try {
      dispatcher.heartbeat(nodeId, mine);
    } catch (Dispatcher.SessionExpired e) {
      register();
      return;
    }
    exec.schedule(() -> heartbeat(mine, period), period, TimeUnit.MILLISECONDS);
  }

  private void apply(Assignments a) {
    if (a.full()) assigned.keySet().retainAll(a.tasks().stream().map(Task::id).toList());
    for (Task t : a.tasks()) assigned.put(t.id(), t);
    for (String id : a.removedTasks()) assigned.remove(id);
    reconcile();
  }

  private void reconcile() {
    List<TaskStatusUpdate> out = new ArrayList<>();
    for (Task t : assigned.values()) {
      TaskState now = local.getOrDefault(t.id(), t.state());
      if (now.terminal()) continue;
      if (t.desiredState().compareTo(TaskState.RUNNING) > 0) {
        out.add(report(t, TaskState.SHUTDOWN));
        continue;
      }
      TaskState target = t.desiredState() == TaskState.READY ? TaskState.READY : TaskState.RUNNING;
      for (TaskState step : START) {
        if (step.compareTo(now) <= 0 || step.compareTo(target) > 0) continue;
        out.add(report(t, step));
      }
    }
    send(out);
  }

  private TaskStatusUpdate report(Task t, TaskState s) {
    local.put(t.id(), s);
    return new TaskStatusUpdate(t.id(), TaskStatus.of(s, s.wire(), clock.instant()));
  }

  private void send(List<TaskStatusUpdate> out) {
    if (out.isEmpty() || session == null) return;
    try {
      // one call per step, as a real runner reports each transition when it happens
      for (TaskStatusUpdate u : out) dispatcher.updateTaskStatus(nodeId, session, List.of(u));
    } catch (Dispatcher.SessionExpired e) {
      if (heartbeats) register();
    }
  }

  /** The task's container exits with an error (as {@code docker kill} would make it). */
  void fail(String taskId) {
    exec.execute(() -> {
      Task t = assigned.get(taskId);
      if (t == null) return;
      failed.add(taskId);
      TaskStatusUpdate u = report(t, TaskState.FAILED);
      send(List.of(new TaskStatusUpdate(taskId, u.status().withErr("task: non-zero exit (137)"))));
    });
  }

  /** The node goes silent: no more heartbeats, no re-registration. */
  void stopHeartbeats() {
    heartbeats = false;
  }

  TaskState stateOf(String taskId) {
    return local.get(taskId);
  }

  @Override
  public void close() {
    heartbeats = false;
    try {
      if (stream != null) stream.close();
    } catch (Exception ignored) {
      // closing a dead stream is fine
    }
    exec.shutdownNow();
  }
}
