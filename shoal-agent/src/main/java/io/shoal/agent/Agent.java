package io.shoal.agent;

import io.shoal.agent.exec.Executor;
import io.shoal.agent.exec.ObservedTask;
import io.shoal.agent.exec.TaskDependencies;
import io.shoal.agent.worker.Reconciler;
import io.shoal.agent.worker.TaskRunner;
import io.shoal.agent.worker.TaskStateMachine;
import io.shoal.agent.worker.WorkerState;
import io.shoal.api.dispatch.Assignments;
import io.shoal.api.dispatch.Dispatcher;
import io.shoal.api.dispatch.LogLine;
import io.shoal.api.dispatch.LogRequest;
import io.shoal.api.dispatch.TaskLogs;
import io.shoal.api.dispatch.TaskStatusUpdate;
import io.shoal.api.error.ShoalException;
import io.shoal.api.model.Task;
import io.shoal.api.net.TaskStoppingListener;
import io.shoal.api.model.TaskStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker side of a node: keeps a session with the manager's {@link Dispatcher}, runs what it
 * is assigned through the {@link Executor}, and reports task statuses back.
 *
 * <p>Life: {@link #start} reads the assignments persisted under the data dir, asks the executor
 * for containers it already has and adopts them, then registers. It heartbeats at the period the
 * dispatcher gives, re-registers when the session expires, and retries with jittered exponential
 * backoff while the manager is unreachable. Nothing that runs is stopped because the manager is
 * away: containers are only stopped when an assignment says so, and containers of unknown tasks
 * are only removed after a full assignment set came from a manager.
 *
 * <p>Status changes are coalesced per task and sent in one batch every {@code flushInterval};
 * after a (re)registration every current status is sent again, so a new manager catches up.
 *
 * <p>Threading: all timers and session work run on the injected scheduler (any number of
 * threads; the caller owns and shuts it down). Assignment messages are applied one at a time in
 * arrival order. The agent's state is guarded by its monitor, which is never held while calling
 * the dispatcher or a blocking executor method ({@link Executor#existing}, {@link
 * Executor#describe}). Lock order is agent → task runner; runners report through a lock-free path.
 * Public methods are thread-safe.
 */
public final class Agent implements TaskLogs, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Agent.class);

  private final AgentConfig config;
  private final Dispatcher dispatcher;
  private final Executor executor;
  private final List<TaskStoppingListener> stoppingListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final Clock clock;
  private final RandomGenerator random;
  private final ScheduledExecutorService scheduler;
  private final StateFile stateFile;

  private final Map<String, TaskRunner> runners = new ConcurrentHashMap<>();
  private final Map<String, TaskStatus> pending = new ConcurrentHashMap<>();
  // assignment messages are applied one at a time in arrival order, whatever the scheduler's size
  private final java.util.Queue<Runnable> inbox = new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final java.util.concurrent.atomic.AtomicBoolean draining = new java.util.concurrent.atomic.AtomicBoolean();
  private WorkerState state = WorkerState.EMPTY;
  // set from runner threads, which must never take the agent's monitor (lock order: agent → runner)
  private final java.util.concurrent.atomic.AtomicBoolean dirty = new java.util.concurrent.atomic.AtomicBoolean();
  private String sessionId;
  private long sessionEpoch;
  private AutoCloseable subscription;
  private ScheduledFuture<?> heartbeat;
  private ScheduledFuture<?> flusher;
  private Duration backoff;
  private boolean connecting;
  private boolean closed;

  public Agent(AgentConfig config, Dispatcher dispatcher, Executor executor, Clock clock,
      RandomGenerator random, ScheduledExecutorService scheduler) {
    this.config = config;
    this.dispatcher = dispatcher;
    this.executor = executor;
    this.clock = clock;
    this.random = random;
    this.scheduler = scheduler;
    this.stateFile = config.dataDir() == null ? null : new StateFile(config.dataDir());
    this.backoff = config.backoffMin();
  }

  /** Told before this agent stops a task's container (the node's resolver and VIPs subscribe). */
  public void addTaskStoppingListener(TaskStoppingListener l) {
    stoppingListeners.add(l);
  }

  private void taskStopping(Task t) {
    for (TaskStoppingListener l : stoppingListeners) {
      l.taskStopping(t);
    }
  }

  /** Adopts what runs already, then connects in the background. Returns at once. */
  public void start() {
    scheduler.execute(() -> {
      WorkerState persisted = WorkerState.EMPTY;
      try {
        persisted = stateFile == null ? WorkerState.EMPTY : stateFile.read();
      } catch (AgentException e) {
        log.error("agent {}: starting without persisted assignments: {}", config.nodeId(), e.getMessage());
      }
      // with the engine away, runners still start from the persisted state and retry on their own
      List<ObservedTask> existing = safeExisting();
      try {
        synchronized (this) {
          state = persisted.unconfirmed();
          reconcile(existing);
        }
        log.info("agent {}: {} persisted tasks, {} existing containers", config.nodeId(),
            persisted.tasks().size(), existing.size());
      } catch (RuntimeException e) {
        log.error("agent {}: could not adopt existing tasks: {}", config.nodeId(), e.toString(), e);
      }
      flusher = scheduler.scheduleWithFixedDelay(this::flushSafely,
          config.flushInterval().toNanos(), config.flushInterval().toNanos(), TimeUnit.NANOSECONDS);
      connect();
    });
  }

  /** True while a session with a manager is open. */
  public synchronized boolean connected() {
    return sessionId != null;
  }

  /** The tasks this agent runs, each with its latest status as observed here. */
  public List<Task> tasks() {
    List<Task> out = new ArrayList<>();
    runners.values().forEach(r -> out.add(r.task()));
    return out;
  }

  // ---- session ---------------------------------------------------------------------------

  private void connect() {
    long epoch;
    synchronized (this) {
      if (closed || connecting) {
        return;
      }
      connecting = true;
      epoch = ++sessionEpoch;
      closeSession();
    }
    try {
      Dispatcher.Session s = dispatcher.register(config.nodeId(), executor.describe(), config.addr());
      AutoCloseable sub = dispatcher.assignments(config.nodeId(), s.sessionId(), new Dispatcher.AssignmentListener() {
        @Override
        public void onAssignments(Assignments a) {
          // the dispatcher's thread must not block: hand over
          serially(() -> onAssignmentsReceived(epoch, a));
        }

        @Override
        public void onClosed(Throwable cause) {
          log.info("agent {}: assignment stream closed: {}", config.nodeId(), String.valueOf(cause));
          serially(() -> sessionLost(epoch, cause));
        }
      });
      synchronized (this) {
        connecting = false;
        if (closed || epoch != sessionEpoch) {
          closeQuietly(sub);
          return;
        }
        sessionId = s.sessionId();
        subscription = sub;
        backoff = config.backoffMin();
        // a new session: the manager may have missed statuses, send every current one again
        runners.forEach((id, r) -> pending.merge(id, r.status(), TaskStateMachine::forward));
        heartbeat = scheduler.schedule(() -> heartbeat(epoch), period(s.heartbeatPeriodMillis()),
            TimeUnit.MILLISECONDS);
      }
      log.info("agent {}: registered, session {}", config.nodeId(), s.sessionId());
    } catch (RuntimeException e) {
      synchronized (this) {
        connecting = false;
      }
      retryConnect(e);
    }
  }

  private void retryConnect(Throwable cause) {
    Duration wait;
    synchronized (this) {
      if (closed) {
        return;
      }
      wait = cause instanceof Dispatcher.SessionExpired ? Duration.ZERO : jitter(backoff);
      backoff = backoff.multipliedBy(2).compareTo(config.backoffMax()) > 0 ? config.backoffMax() : backoff.multipliedBy(2);
    }
    log.warn("agent {}: no session with the manager ({}), retrying in {} ms", config.nodeId(), cause.toString(), wait.toMillis());
    scheduler.schedule(this::connect, wait.toNanos(), TimeUnit.NANOSECONDS);
  }

  private Duration jitter(Duration d) {
    double f = 0.8 + 0.4 * random.nextDouble();
    return Duration.ofNanos((long) (d.toNanos() * f));
  }

  private static long period(long millis) {
    return Math.max(10, millis);
  }

  private void heartbeat(long epoch) {
    String sid;
    synchronized (this) {
      if (closed || epoch != sessionEpoch || sessionId == null) {
        return;
      }
      sid = sessionId;
    }
    try {
      long next = dispatcher.heartbeat(config.nodeId(), sid);
      synchronized (this) {
        if (!closed && epoch == sessionEpoch) {
          heartbeat = scheduler.schedule(() -> heartbeat(epoch), period(next), TimeUnit.MILLISECONDS);
        }
      }
    } catch (RuntimeException e) {
      sessionLost(epoch, e);
    }
  }

  private void sessionLost(long epoch, Throwable cause) {
    synchronized (this) {
      if (closed || epoch != sessionEpoch) {
        return;
      }
      sessionId = null;
    }
    retryConnect(cause == null ? new Dispatcher.SessionExpired("stream closed") : cause);
  }

  // called with the monitor held
  private void closeSession() {
    sessionId = null;
    if (heartbeat != null) {
      heartbeat.cancel(false);
      heartbeat = null;
    }
    if (subscription != null) {
      closeQuietly(subscription);
      subscription = null;
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      log.debug("close: {}", e.toString());
    }
  }

  // ---- assignments -----------------------------------------------------------------------

  private void serially(Runnable r) {
    inbox.add(r);
    scheduler.execute(this::drain);
  }

  private void drain() {
    if (!draining.compareAndSet(false, true)) {
      return; // the thread draining now will also run what was just added
    }
    try {
      Runnable r;
      while ((r = inbox.poll()) != null) {
        try {
          r.run();
        } catch (RuntimeException e) {
          log.error("agent {}: applying assignments failed: {}", config.nodeId(), e.toString(), e);
        }
      }
    } finally {
      draining.set(false);
    }
    if (!inbox.isEmpty()) {
      scheduler.execute(this::drain);
    }
  }

  private void onAssignmentsReceived(long epoch, Assignments a) {
    List<ObservedTask> existing = a.full() ? safeExisting() : null;
    synchronized (this) {
      if (closed || epoch != sessionEpoch) {
        return;
      }
      state = state.apply(a);
      reconcile(existing == null ? List.of() : existing);
    }
  }

  private List<ObservedTask> safeExisting() {
    try {
      return executor.existing();
    } catch (RuntimeException e) {
      log.warn("agent {}: listing existing containers failed: {}", config.nodeId(), e.toString());
      return List.of();
    }
  }

  // called with the monitor held
  private void reconcile(List<ObservedTask> existing) {
    List<ObservedTask> unowned = existing.stream().filter(o -> !runners.containsKey(o.taskId())).toList();
    Reconciler.Plan plan = Reconciler.plan(state, Set.copyOf(runners.keySet()), unowned);
    for (Reconciler.Create c : plan.create()) {
      Task t = c.task();
      TaskRunner r = new TaskRunner(t,
          executor.controller(t, TaskDependencies.forTask(t, state.secrets(), state.configs())),
          this::statusChanged, clock, scheduler, config.healthPoll(), config.retryDelay(), this::taskStopping);
      runners.put(t.id(), r);
      r.start(c.existing());
    }
    for (Task t : plan.update()) {
      runners.get(t.id()).update(t);
    }
    for (String id : plan.stop()) {
      TaskRunner r = runners.remove(id);
      pending.remove(id);
      r.stopAndRemove().whenComplete((v, err) -> {
        if (err != null) {
          log.warn("task {}: remove failed: {}", id, err.toString());
        }
      });
    }
    for (ObservedTask o : plan.orphans()) {
      log.info("agent {}: removing container {} of unassigned task {}", config.nodeId(), o.containerId(), o.taskId());
      executor.removeOrphan(o);
    }
    dirty.set(true);
  }

  private void statusChanged(String taskId, TaskStatus status) {
    pending.merge(taskId, status, TaskStateMachine::forward);
    dirty.set(true);
  }

  // ---- status batches --------------------------------------------------------------------

  private void flushSafely() {
    try {
      flush();
    } catch (RuntimeException e) {
      log.warn("agent {}: flush failed: {}", config.nodeId(), e.toString());
    }
  }

  private void flush() {
    persistIfDirty();
    String sid;
    long epoch;
    synchronized (this) {
      sid = sessionId;
      epoch = sessionEpoch;
    }
    if (sid == null || pending.isEmpty()) {
      return;
    }
    Map<String, TaskStatus> batch = new LinkedHashMap<>();
    for (String id : new ArrayList<>(pending.keySet())) {
      TaskStatus s = pending.remove(id);
      if (s != null && runners.containsKey(id)) {
        batch.put(id, s);
      }
    }
    if (batch.isEmpty()) {
      return;
    }
    List<TaskStatusUpdate> updates = new ArrayList<>();
    batch.forEach((id, s) -> updates.add(new TaskStatusUpdate(id, s)));
    try {
      dispatcher.updateTaskStatus(config.nodeId(), sid, updates);
    } catch (RuntimeException e) {
      // keep them (unless a newer status came meanwhile) for the next session
      batch.forEach((id, s) -> pending.merge(id, s, TaskStateMachine::forward));
      sessionLost(epoch, e);
    }
  }

  private void persistIfDirty() {
    if (stateFile == null) {
      return;
    }
    WorkerState snapshot;
    synchronized (this) {
      if (!dirty.getAndSet(false)) {
        return;
      }
      Map<String, Task> withStatus = new LinkedHashMap<>(state.tasks());
      runners.forEach((id, r) -> withStatus.computeIfPresent(id, (k, t) -> t.withStatus(r.status())));
      snapshot = new WorkerState(withStatus, state.secrets(), state.configs(), false);
    }
    stateFile.write(snapshot);
  }

  // ---- logs ------------------------------------------------------------------------------

  @Override
  public AutoCloseable stream(Task task, LogRequest request, Consumer<LogLine> sink, Runnable onEnd) {
    TaskRunner r = runners.get(task.id());
    if (r == null && (task.nodeID() == null || !task.nodeID().equals(config.nodeId()))) {
      throw new ShoalException.NotFound("task " + task.id() + " is not on node " + config.nodeId());
    }
    var controller = r != null ? r.controller() : executor.controller(task, TaskDependencies.NONE);
    return controller.logs(request, sink, onEnd);
  }

  /**
   * Stops talking to the manager and persists the state. Running tasks keep running (a restarted
   * agent adopts them); the scheduler belongs to the caller.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      closeSession();
      if (flusher != null) {
        flusher.cancel(false);
      }
      dirty.set(true);
    }
    try {
      persistIfDirty();
    } catch (RuntimeException e) {
      log.warn("agent {}: could not persist state on close: {}", config.nodeId(), e.toString());
    }
  }

  /** Ids of tasks with a runner, for tests and diagnostics. */
  public Set<String> runnerIds() {
    return new HashSet<>(runners.keySet());
  }
}
