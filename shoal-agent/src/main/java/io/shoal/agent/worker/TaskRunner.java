package io.shoal.agent.worker;

import io.shoal.agent.exec.ExecutorException;
import io.shoal.agent.exec.ExitStatus;
import io.shoal.agent.exec.HealthChecks;
import io.shoal.agent.exec.ObservedTask;
import io.shoal.agent.exec.TaskController;
import io.shoal.agent.worker.TaskStateMachine.Advance;
import io.shoal.agent.worker.TaskStateMachine.Facts;
import io.shoal.agent.worker.TaskStateMachine.Idle;
import io.shoal.agent.worker.TaskStateMachine.Invoke;
import io.shoal.agent.worker.TaskStateMachine.Op;
import io.shoal.agent.worker.TaskStateMachine.Step;
import io.shoal.api.model.Task;
import io.shoal.api.model.TaskState;
import io.shoal.api.model.TaskStatus;
import io.shoal.api.net.TaskStoppingListener;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one task through {@link TaskStateMachine} with its {@link TaskController}: the shell
 * around the pure machine. It asks the machine for the next step, reports transitions to the
 * {@link StatusSink}, runs one controller operation at a time and feeds the outcome back.
 *
 * <p>Threading: all state is guarded by this object's monitor. Public methods may be called from
 * any thread and return quickly; controller futures complete on executor threads and re-enter
 * through {@link #kick}. Outcomes of an operation that was superseded (e.g. the exit of a
 * container that is being shut down) are dropped by comparing an epoch counter.
 */
public final class TaskRunner {
  private static final Logger log = LoggerFactory.getLogger(TaskRunner.class);

  private final TaskController controller;
  private final StatusSink sink;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final Duration healthPoll;
  private final Duration retryDelay;
  private final TaskStoppingListener stopping;

  private Task task;
  private TaskStatus status;
  private Facts facts;
  private Op inFlight;
  // the running prepare/start/shutdown, so that removal waits for it (else a prepare finishing
  // after the removal would leave a container behind)
  private CompletableFuture<?> busy = CompletableFuture.completedFuture(null);
  private long epoch;
  private boolean closed;

  /**
   * @param task the assigned task; its status is where this runner starts from
   * @param healthPoll how often a healthcheck verdict is read while STARTING and RUNNING
   * @param retryDelay wait before repeating an operation the runtime was unavailable for
   */
  public TaskRunner(Task task, TaskController controller, StatusSink sink, Clock clock,
      ScheduledExecutorService scheduler, Duration healthPoll, Duration retryDelay) {
    this(task, controller, sink, clock, scheduler, healthPoll, retryDelay, t -> { });
  }

  /** @param stopping told before every stop of the task's container (the node's DNS and VIPs drop it) */
  public TaskRunner(Task task, TaskController controller, StatusSink sink, Clock clock,
      ScheduledExecutorService scheduler, Duration healthPoll, Duration retryDelay, TaskStoppingListener stopping) {
    this.stopping = stopping;
    this.task = task;
    this.controller = controller;
    this.sink = sink;
    this.clock = clock;
    this.scheduler = scheduler;
    this.healthPoll = healthPoll;
    this.retryDelay = retryDelay;
    this.status = task.status() == null
        ? TaskStatus.of(TaskState.ASSIGNED, "assigned", clock.instant()) : task.status();
    this.facts = new Facts(false, false, controller.hasHealthcheck());
  }

  /**
   * Starts driving. {@code existing} is what the executor already had for this task (adoption
   * after an agent restart) or null, in which case the controller is asked.
   */
  public void start(ObservedTask existing) {
    if (existing != null) {
      adopt(existing);
      return;
    }
    controller.inspect().whenComplete((o, err) -> {
      if (err != null) {
        log.warn("task {}: inspect before start failed: {}", task.id(), TaskStateMachine.message(err));
        kick();
      } else {
        adopt(o);
      }
    });
  }

  private void adopt(ObservedTask o) {
    synchronized (this) {
      if (o.state() != ObservedTask.RuntimeState.ABSENT) {
        var a = TaskStateMachine.adopt(status, o, facts.healthcheck(), clock.instant());
        facts = a.facts();
        setStatus(a.status());
        log.info("task {}: adopted {} container {} as {}", task.id(), o.state(), o.containerId(), status.state());
      }
    }
    kick();
  }

  /** A newer version of the task came in (its desired state may have changed). */
  public void update(Task t) {
    synchronized (this) {
      task = t;
    }
    kick();
  }

  public synchronized TaskStatus status() {
    return status;
  }

  public synchronized Task task() {
    return task.withStatus(status);
  }

  public TaskController controller() {
    return controller;
  }

  /** The task is no longer assigned: stop what runs (with the grace period) and remove it. */
  public CompletableFuture<Void> stopAndRemove() {
    Duration grace;
    CompletableFuture<?> before;
    synchronized (this) {
      closed = true;
      epoch++;
      grace = HealthChecks.grace(task);
      before = busy;
    }
    Task t = task;
    return before.handle((v, err) -> null)
        .thenCompose(v -> {
          tellStopping(t);
          return controller.shutdown(grace);
        })
        .handle((v, err) -> null)
        .thenCompose(v -> controller.remove());
  }

  /** Re-evaluates the machine; runs the next operation unless one is in flight. */
  public void kick() {
    synchronized (this) {
      while (!closed) {
        Step step = TaskStateMachine.next(status, task.desiredState(), facts, clock.instant());
        if (step instanceof Advance a) {
          setStatus(a.status());
          continue;
        }
        if (step instanceof Idle) {
          if (inFlight != null && inFlight.waitsOnly()) {
            epoch++;
            inFlight = null;
          }
          return;
        }
        Op op = ((Invoke) step).op();
        if (inFlight == op && op.waitsOnly()) {
          return; // already waiting for exactly this
        }
        if (inFlight != null && !inFlight.waitsOnly()) {
          return; // an operation runs; its outcome kicks again
        }
        epoch++;
        inFlight = op;
        launch(op, epoch);
        return;
      }
    }
  }

  // called with the monitor held
  private void launch(Op op, long e) {
    switch (op) {
      case PREPARE -> busy = controller.prepare().whenComplete((v, err) -> outcome(e, err, () ->
          setStatus(TaskStateMachine.afterPrepare(status, err, clock.instant()))));
      case START -> busy = controller.start()
          .thenCompose(v -> controller.inspect())
          .whenComplete((o, err) -> outcome(e, err, () -> {
            if (err == null) {
              // an image may bring its own HEALTHCHECK: gate RUNNING on it as Docker does
              boolean health = facts.healthcheck() || (o != null && o.health() != ObservedTask.Health.NONE);
              facts = new Facts(true, true, health);
            }
            setStatus(TaskStateMachine.afterStart(status, err, facts.healthcheck(), o, clock.instant()));
          }));
      case AWAIT_HEALTHY -> scheduleHealth(e);
      case AWAIT_EXIT -> {
        controller.exit().whenComplete((x, err) -> outcome(e, err, () -> {
          facts = facts.withStopped();
          setStatus(err == null
              ? TaskStateMachine.afterExit(status, x, clock.instant())
              : TaskStateMachine.afterLost(status, err, clock.instant()));
        }));
        if (facts.healthcheck()) {
          scheduleHealth(e);
        }
      }
      case SHUTDOWN -> {
        tellStopping(task);
        busy = controller.shutdown(HealthChecks.grace(task)).whenComplete((v, err) -> {
          Throwable real = err == null ? null : unwrap(err);
          outcome(e, real instanceof ExecutorException.NotFound ? null : err, () -> {
            facts = facts.withStopped();
            if (task.desiredState().atLeast(TaskState.SHUTDOWN)) {
              setStatus(TaskStateMachine.afterShutdown(status, clock.instant()));
            }
          });
        });
      }
      default -> throw new IllegalStateException(op.name());
    }
  }

  private void tellStopping(Task t) {
    try {
      stopping.taskStopping(t);
    } catch (RuntimeException e) {
      log.warn("task {}: a task-stopping listener failed: {}", t.id(), e.toString());
    }
  }

  /** Polls the health verdict (and notices an exit) until it is decided or superseded. */
  private void scheduleHealth(long e) {
    // while RUNNING only a turn to unhealthy matters: look less often than while STARTING
    long delay = inFlight == Op.AWAIT_EXIT ? healthPoll.toNanos() * 4 : healthPoll.toNanos();
    scheduler.schedule(() -> controller.inspect().whenComplete((o, err) -> healthObserved(e, o, err)),
        delay, TimeUnit.NANOSECONDS);
  }

  private void healthObserved(long e, ObservedTask o, Throwable err) {
    synchronized (this) {
      if (e != epoch || closed) {
        return;
      }
      boolean starting = inFlight == Op.AWAIT_HEALTHY;
      if (err != null || o == null) {
        scheduleHealth(e);
        return;
      }
      if (o.state() == ObservedTask.RuntimeState.EXITED || o.state() == ObservedTask.RuntimeState.ABSENT) {
        if (!starting) {
          return; // AWAIT_EXIT's own future reports the exit
        }
        facts = facts.withStopped();
        setStatus(TaskStateMachine.afterExit(status,
            new ExitStatus(o.exitCode() == null ? 0 : o.exitCode()), clock.instant()));
      } else if (o.health() == ObservedTask.Health.UNHEALTHY
          || (o.health() == ObservedTask.Health.HEALTHY && starting)) {
        setStatus(TaskStateMachine.afterHealth(status, o, clock.instant()));
      } else {
        scheduleHealth(e);
        return;
      }
      inFlight = null;
      epoch++;
    }
    kick();
  }

  /** Applies an operation's outcome unless superseded; a runtime that is away means retry later. */
  private void outcome(long e, Throwable err, Runnable apply) {
    synchronized (this) {
      if (e != epoch || closed) {
        return;
      }
      inFlight = null;
      if (err != null && unwrap(err) instanceof ExecutorException.Unavailable) {
        log.warn("task {}: runtime unavailable, retrying in {}: {}", task.id(), retryDelay,
            TaskStateMachine.message(err));
        scheduler.schedule(this::kick, retryDelay.toNanos(), TimeUnit.NANOSECONDS);
        return;
      }
      if (err != null) {
        log.info("task {}: {}", task.id(), TaskStateMachine.message(err));
      }
      apply.run();
    }
    kick();
  }

  private void setStatus(TaskStatus next) {
    TaskStatus fwd = TaskStateMachine.forward(status, next);
    if (fwd.equals(status)) {
      return;
    }
    status = fwd;
    sink.report(task.id(), fwd);
  }

  private static Throwable unwrap(Throwable t) {
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
