package io.shoal.agent.worker;

import io.shoal.agent.exec.ExitStatus;
import io.shoal.agent.exec.ObservedTask;
import io.shoal.api.model.PortConfig;
import io.shoal.api.model.TaskState;
import io.shoal.api.model.TaskStatus;
import java.time.Instant;
import java.util.List;

/**
 * The task state machine as pure functions: from a task's status, its desired state and what the
 * runner knows about the process, {@link #next} says what to do; the {@code after*} functions say
 * what status an operation's outcome leads to. No I/O, no threads, no clock (time is passed in),
 * so every transition is unit-tested directly.
 *
 * <p>Swarm's wording is kept because {@code docker service ps} shows it: "accepted", "preparing",
 * "prepared", "starting", "started", "finished", "failed", "shutdown"; a failed prepare leaves the
 * message as it was and puts the engine's error into {@code Err} with state REJECTED; a non-zero
 * exit is FAILED with Err {@code task: non-zero exit (N)}.
 *
 * <p>Invariant: a status only moves forward ({@link #forward} enforces it for every result).
 */
public final class TaskStateMachine {
  /** Docker's error text for a container whose healthcheck failed. */
  public static final String UNHEALTHY = "dockerexec: unhealthy container";

  private TaskStateMachine() {}

  /** An operation on the task's controller. The two {@code AWAIT_*} ones only wait. */
  public enum Op {
    PREPARE,
    START,
    AWAIT_HEALTHY,
    AWAIT_EXIT,
    SHUTDOWN;

    public boolean waitsOnly() {
      return this == AWAIT_HEALTHY || this == AWAIT_EXIT;
    }
  }

  /** What to do next. */
  public sealed interface Step permits Advance, Invoke, Idle {}

  /** Report this status and ask again. */
  public record Advance(TaskStatus status) implements Step {}

  /** Run this operation; its outcome goes through the matching {@code after*} function. */
  public record Invoke(Op op) implements Step {}

  /** Nothing to do until the desired state changes or an outcome arrives. */
  public record Idle() implements Step {}

  /**
   * What the runner knows besides the status.
   *
   * @param started the main process was started by (or adopted from) a controller
   * @param running the main process may be running now (started and no exit or stop seen since)
   * @param healthcheck the spec has a healthcheck, so RUNNING waits for healthy
   */
  public record Facts(boolean started, boolean running, boolean healthcheck) {
    public static final Facts NOTHING = new Facts(false, false, false);

    public Facts withStarted() {
      return new Facts(true, true, healthcheck);
    }

    public Facts withStopped() {
      return new Facts(started, false, healthcheck);
    }
  }

  /** The next step for a task in {@code status} that managers want in {@code desired}. */
  public static Step next(TaskStatus status, TaskState desired, Facts facts, Instant now) {
    TaskState state = status.state();
    if (desired.atLeast(TaskState.SHUTDOWN)) {
      if (state.before(TaskState.COMPLETE) || facts.running()) {
        return new Invoke(Op.SHUTDOWN);
      }
      return new Idle();
    }
    if (state.terminal()) {
      // e.g. FAILED because unhealthy while the container still runs: stop it, keep the status.
      return facts.running() ? new Invoke(Op.SHUTDOWN) : new Idle();
    }
    // A desired COMPLETE (a job) runs like RUNNING; READY (start-first updates) stops at READY.
    TaskState target = desired.before(TaskState.RUNNING) ? desired : TaskState.RUNNING;
    switch (state) {
      case NEW, PENDING, ASSIGNED:
        return gate(target, TaskState.ACCEPTED, new Advance(move(status, TaskState.ACCEPTED, "accepted", now)));
      case ACCEPTED:
        return gate(target, TaskState.PREPARING, new Advance(move(status, TaskState.PREPARING, "preparing", now)));
      case PREPARING:
        return gate(target, TaskState.READY, new Invoke(Op.PREPARE));
      case READY:
        return gate(target, TaskState.STARTING, new Advance(move(status, TaskState.STARTING, "starting", now)));
      case STARTING:
        if (!facts.started()) {
          return new Invoke(Op.START);
        }
        return facts.healthcheck()
            ? new Invoke(Op.AWAIT_HEALTHY)
            : new Advance(move(status, TaskState.RUNNING, "started", now));
      case RUNNING:
        return new Invoke(Op.AWAIT_EXIT);
      default:
        return new Idle();
    }
  }

  private static Step gate(TaskState target, TaskState next, Step step) {
    return target.before(next) ? new Idle() : step;
  }

  /** Prepare finished: READY, or REJECTED with the engine's message in Err. */
  public static TaskStatus afterPrepare(TaskStatus status, Throwable error, Instant now) {
    if (error == null) {
      return forward(status, move(status, TaskState.READY, "prepared", now));
    }
    return forward(status, move(status, TaskState.REJECTED, status.message(), now).withErr(message(error)));
  }

  /**
   * Start finished. Without a healthcheck the task is RUNNING (with what inspect saw); with one it
   * stays STARTING until {@link #afterHealth}. A failed start is FAILED.
   */
  public static TaskStatus afterStart(TaskStatus status, Throwable error, boolean healthcheck,
      ObservedTask observed, Instant now) {
    if (error != null) {
      return forward(status, move(status, TaskState.FAILED, "starting", now).withErr(message(error)));
    }
    if (healthcheck) {
      return withObserved(status, observed);
    }
    return forward(status, withObserved(move(status, TaskState.RUNNING, "started", now), observed));
  }

  /** A health verdict while STARTING or RUNNING. */
  public static TaskStatus afterHealth(TaskStatus status, ObservedTask observed, Instant now) {
    return switch (observed.health()) {
      case HEALTHY -> status.state() == TaskState.STARTING
          ? forward(status, withObserved(move(status, TaskState.RUNNING, "started", now), observed))
          : status;
      case UNHEALTHY -> forward(status, move(status, TaskState.FAILED, "failed", now).withErr(UNHEALTHY));
      default -> status;
    };
  }

  /** The main process exited: COMPLETE on 0, else FAILED with Swarm's "task: non-zero exit (N)". */
  public static TaskStatus afterExit(TaskStatus status, ExitStatus exit, Instant now) {
    TaskStatus.ContainerStatus old = status.containerStatus();
    TaskStatus.ContainerStatus cs = new TaskStatus.ContainerStatus(
        old == null ? null : old.containerID(), null, exit.code());
    if (exit.success()) {
      return forward(status, move(status, TaskState.COMPLETE, "finished", now).withContainer(cs));
    }
    return forward(status, move(status, TaskState.FAILED, "failed", now)
        .withErr("task: non-zero exit (" + exit.code() + ")").withContainer(cs));
  }

  /** Waiting on the process failed (it vanished): FAILED with the runtime's words. */
  public static TaskStatus afterLost(TaskStatus status, Throwable error, Instant now) {
    return forward(status, move(status, TaskState.FAILED, "failed", now).withErr(message(error)));
  }

  /** The task was stopped: SHUTDOWN unless it had already ended by itself. */
  public static TaskStatus afterShutdown(TaskStatus status, Instant now) {
    return status.state().before(TaskState.COMPLETE)
        ? forward(status, move(status, TaskState.SHUTDOWN, "shutdown", now))
        : status;
  }

  /** The outcome of adopting what the runtime already has for a task after an agent restart. */
  public record Adoption(TaskStatus status, Facts facts) {}

  /**
   * Merges what an earlier agent left behind: a running container is taken as started (RUNNING at
   * once without a healthcheck, or once healthy), an exited one as finished with its exit code, a
   * created one as prepared. Nothing existing changes nothing.
   */
  public static Adoption adopt(TaskStatus status, ObservedTask observed, boolean healthcheck, Instant now) {
    Facts none = new Facts(false, false, healthcheck);
    switch (observed.state()) {
      case RUNNING: {
        Facts f = none.withStarted();
        if (status.state().terminal()) {
          return new Adoption(status, f);
        }
        if (!healthcheck || observed.health() == ObservedTask.Health.HEALTHY) {
          return new Adoption(forward(status, withObserved(move(status, TaskState.RUNNING, "started", now), observed)), f);
        }
        return new Adoption(forward(status, move(status, TaskState.STARTING, "starting", now)), f);
      }
      case EXITED: {
        Facts f = new Facts(true, false, healthcheck);
        if (status.state().terminal()) {
          return new Adoption(status, f);
        }
        TaskStatus s = withObserved(status, observed);
        return new Adoption(afterExit(s, new ExitStatus(observed.exitCode() == null ? 0 : observed.exitCode()), now), f);
      }
      case CREATED:
        return status.state().before(TaskState.READY) && status.state().atLeast(TaskState.PREPARING)
            ? new Adoption(forward(status, move(status, TaskState.READY, "prepared", now)), none)
            : new Adoption(status, none);
      default:
        return new Adoption(status, none);
    }
  }

  /** {@code next} if it is not behind {@code current}, else {@code current}: status never goes back. */
  public static TaskStatus forward(TaskStatus current, TaskStatus next) {
    return next.state().before(current.state()) ? current : next;
  }

  /** Puts container id, pid and bound ports from an inspect into the status. */
  public static TaskStatus withObserved(TaskStatus status, ObservedTask o) {
    if (o == null || o.containerId() == null) {
      return status;
    }
    TaskStatus s = status.withContainer(new TaskStatus.ContainerStatus(o.containerId(), o.pid(), o.exitCode()));
    // host-mode ports are what Swarm shows as the task's PORTS; ingress bindings feed the mesh
    List<PortConfig> host = o.ports().stream().filter(p -> PortConfig.HOST.equals(p.publishModeOrDefault())).toList();
    List<PortConfig> ingress = o.ports().stream().filter(p -> !PortConfig.HOST.equals(p.publishModeOrDefault())).toList();
    if (!host.isEmpty()) s = s.withPorts(new TaskStatus.PortStatus(host));
    return ingress.isEmpty() ? s : s.withIngressBindings(ingress);
  }

  private static TaskStatus move(TaskStatus s, TaskState state, String msg, Instant now) {
    return s.moved(now, state, msg);
  }

  static String message(Throwable t) {
    Throwable c = t;
    while ((c instanceof java.util.concurrent.CompletionException
        || c instanceof java.util.concurrent.ExecutionException) && c.getCause() != null) {
      c = c.getCause();
    }
    return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
  }
}
