package io.shoal.agent.worker;

import static io.shoal.testkit.TaskFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.agent.exec.ExecutorException;
import io.shoal.agent.exec.ExitStatus;
import io.shoal.agent.exec.ObservedTask;
import io.shoal.agent.worker.TaskStateMachine.Advance;
import io.shoal.agent.worker.TaskStateMachine.Facts;
import io.shoal.agent.worker.TaskStateMachine.Idle;
import io.shoal.agent.worker.TaskStateMachine.Invoke;
import io.shoal.agent.worker.TaskStateMachine.Op;
import io.shoal.agent.worker.TaskStateMachine.Step;
import io.shoal.api.model.PortConfig;
import io.shoal.api.model.TaskState;
import io.shoal.api.model.TaskStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TaskStateMachineTest {
  private static final Facts PLAIN = new Facts(false, false, false);
  private static final Facts HEALTH = new Facts(false, false, true);

  private static TaskStatus st(TaskState s) {
    return TaskStatus.of(s, s.wire(), T0);
  }

  /** Runs the machine with every operation succeeding, collecting the states reported. */
  private static List<TaskState> walk(TaskStatus start, TaskState desired, Facts facts) {
    List<TaskState> seen = new ArrayList<>();
    TaskStatus s = start;
    Facts f = facts;
    for (int i = 0; i < 20; i++) {
      Step step = TaskStateMachine.next(s, desired, f, T0);
      if (step instanceof Advance a) {
        s = a.status();
      } else if (step instanceof Invoke inv) {
        switch (inv.op()) {
          case PREPARE -> s = TaskStateMachine.afterPrepare(s, null, T0);
          case START -> {
            f = f.withStarted();
            s = TaskStateMachine.afterStart(s, null, f.healthcheck(), null, T0);
          }
          default -> {
            return seen;
          }
        }
      } else {
        return seen;
      }
      if (seen.isEmpty() || seen.get(seen.size() - 1) != s.state()) {
        seen.add(s.state());
      }
    }
    return seen;
  }

  @Test
  void assignedTaskWalksToRunningWithSwarmMessages() {
    assertThat(walk(st(TaskState.ASSIGNED), TaskState.RUNNING, PLAIN)).containsExactly(
        TaskState.ACCEPTED, TaskState.PREPARING, TaskState.READY, TaskState.STARTING, TaskState.RUNNING);
    assertThat(((Advance) TaskStateMachine.next(st(TaskState.ASSIGNED), TaskState.RUNNING, PLAIN, T0)).status().message())
        .isEqualTo("accepted");
    assertThat(TaskStateMachine.afterPrepare(st(TaskState.PREPARING), null, T0).message()).isEqualTo("prepared");
    assertThat(TaskStateMachine.afterStart(st(TaskState.STARTING), null, false, null, T0).message()).isEqualTo("started");
  }

  @Test
  void desiredReadyStopsAtReady() {
    assertThat(walk(st(TaskState.ASSIGNED), TaskState.READY, PLAIN))
        .containsExactly(TaskState.ACCEPTED, TaskState.PREPARING, TaskState.READY);
    assertThat(TaskStateMachine.next(st(TaskState.READY), TaskState.READY, PLAIN, T0)).isInstanceOf(Idle.class);
  }

  @Test
  void runningWaitsForExit() {
    assertThat(TaskStateMachine.next(st(TaskState.RUNNING), TaskState.RUNNING, PLAIN.withStarted(), T0))
        .isEqualTo(new Invoke(Op.AWAIT_EXIT));
  }

  @Test
  void healthcheckKeepsStartingUntilHealthy() {
    TaskStatus afterStart = TaskStateMachine.afterStart(st(TaskState.STARTING), null, true, null, T0);
    assertThat(afterStart.state()).isEqualTo(TaskState.STARTING);
    assertThat(TaskStateMachine.next(afterStart, TaskState.RUNNING, HEALTH.withStarted(), T0))
        .isEqualTo(new Invoke(Op.AWAIT_HEALTHY));
    var healthy = new ObservedTask("t", "c1", ObservedTask.RuntimeState.RUNNING, null, 42,
        ObservedTask.Health.HEALTHY, List.of());
    TaskStatus running = TaskStateMachine.afterHealth(afterStart, healthy, T0);
    assertThat(running.state()).isEqualTo(TaskState.RUNNING);
    assertThat(running.containerStatus().containerID()).isEqualTo("c1");
    assertThat(running.containerStatus().pid()).isEqualTo(42);
  }

  @Test
  void unhealthyFailsWithDockersWords() {
    var sick = new ObservedTask("t", "c1", ObservedTask.RuntimeState.RUNNING, null, 1,
        ObservedTask.Health.UNHEALTHY, List.of());
    TaskStatus failed = TaskStateMachine.afterHealth(st(TaskState.RUNNING), sick, T0);
    assertThat(failed.state()).isEqualTo(TaskState.FAILED);
    assertThat(failed.err()).isEqualTo("dockerexec: unhealthy container");
    // the container still runs: the machine stops it but keeps FAILED
    assertThat(TaskStateMachine.next(failed, TaskState.RUNNING, HEALTH.withStarted(), T0))
        .isEqualTo(new Invoke(Op.SHUTDOWN));
    assertThat(TaskStateMachine.afterShutdown(failed, T0).state()).isEqualTo(TaskState.FAILED);
  }

  @Test
  void prepareFailureIsRejectedWithEngineMessage() {
    TaskStatus preparing = st(TaskState.PREPARING).withErr(null);
    TaskStatus r = TaskStateMachine.afterPrepare(TaskStatus.of(TaskState.PREPARING, "preparing", T0),
        new java.util.concurrent.CompletionException(new ExecutorException.Rejected("No such image: nope:1")), T0);
    assertThat(r.state()).isEqualTo(TaskState.REJECTED);
    assertThat(r.err()).isEqualTo("No such image: nope:1");
    assertThat(r.message()).isEqualTo("preparing");
    assertThat(preparing.state()).isEqualTo(TaskState.PREPARING);
  }

  @Test
  void exitCodes() {
    TaskStatus running = st(TaskState.RUNNING)
        .withContainer(new TaskStatus.ContainerStatus("c1", 7, null));
    TaskStatus done = TaskStateMachine.afterExit(running, new ExitStatus(0), T0);
    assertThat(done.state()).isEqualTo(TaskState.COMPLETE);
    assertThat(done.message()).isEqualTo("finished");
    TaskStatus failed = TaskStateMachine.afterExit(running, new ExitStatus(3), T0);
    assertThat(failed.state()).isEqualTo(TaskState.FAILED);
    assertThat(failed.err()).isEqualTo("task: non-zero exit (3)");
    assertThat(failed.containerStatus().exitCode()).isEqualTo(3);
    assertThat(failed.containerStatus().containerID()).isEqualTo("c1");
  }

  @ParameterizedTest
  @ValueSource(strings = {"assigned", "accepted", "preparing", "ready", "starting", "running"})
  void desiredShutdownStopsAnyLiveTask(String state) {
    TaskStatus s = st(TaskState.parse(state));
    assertThat(TaskStateMachine.next(s, TaskState.SHUTDOWN, PLAIN, T0)).isEqualTo(new Invoke(Op.SHUTDOWN));
    assertThat(TaskStateMachine.afterShutdown(s, T0).state()).isEqualTo(TaskState.SHUTDOWN);
    assertThat(TaskStateMachine.afterShutdown(s, T0).message()).isEqualTo("shutdown");
  }

  @Test
  void finishedTaskStaysFinishedWhenShutDown() {
    TaskStatus done = st(TaskState.COMPLETE);
    assertThat(TaskStateMachine.next(done, TaskState.SHUTDOWN, PLAIN, T0)).isInstanceOf(Idle.class);
    assertThat(TaskStateMachine.afterShutdown(done, T0)).isEqualTo(done);
    assertThat(TaskStateMachine.next(st(TaskState.REJECTED), TaskState.RUNNING, PLAIN, T0)).isInstanceOf(Idle.class);
  }

  @Test
  void adoptionOfRunningExitedAndCreated() {
    var ports = List.of(new PortConfig(null, "tcp", 80, 41234, "ingress"));
    var running = new ObservedTask("t", "c1", ObservedTask.RuntimeState.RUNNING, null, 9, ObservedTask.Health.NONE, ports);
    var a = TaskStateMachine.adopt(st(TaskState.ASSIGNED), running, false, T0);
    assertThat(a.status().state()).isEqualTo(TaskState.RUNNING);
    // ingress bindings feed the mesh; PortStatus (docker's PORTS column) is for host mode only
    assertThat(a.status().ingressBindings()).isEqualTo(ports);
    assertThat(a.status().portStatus()).isNull();
    assertThat(a.facts().running()).isTrue();
    assertThat(TaskStateMachine.next(a.status(), TaskState.RUNNING, a.facts(), T0)).isEqualTo(new Invoke(Op.AWAIT_EXIT));

    var starting = new ObservedTask("t", "c1", ObservedTask.RuntimeState.RUNNING, null, 9, ObservedTask.Health.STARTING, List.of());
    var b = TaskStateMachine.adopt(st(TaskState.ASSIGNED), starting, true, T0);
    assertThat(b.status().state()).isEqualTo(TaskState.STARTING);
    assertThat(TaskStateMachine.next(b.status(), TaskState.RUNNING, b.facts(), T0)).isEqualTo(new Invoke(Op.AWAIT_HEALTHY));

    var exited = new ObservedTask("t", "c1", ObservedTask.RuntimeState.EXITED, 2, null, ObservedTask.Health.NONE, List.of());
    var c = TaskStateMachine.adopt(st(TaskState.RUNNING), exited, false, T0);
    assertThat(c.status().state()).isEqualTo(TaskState.FAILED);
    assertThat(c.status().err()).isEqualTo("task: non-zero exit (2)");

    var created = new ObservedTask("t", "c1", ObservedTask.RuntimeState.CREATED, null, null, ObservedTask.Health.NONE, List.of());
    assertThat(TaskStateMachine.adopt(st(TaskState.PREPARING), created, false, T0).status().state()).isEqualTo(TaskState.READY);
    assertThat(TaskStateMachine.adopt(st(TaskState.ASSIGNED), ObservedTask.absent("t"), false, T0).status().state())
        .isEqualTo(TaskState.ASSIGNED);
  }

  /** Seeded random sequences of outcomes: the reported state never goes backwards. */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 42, 1234, 99999})
  void statusNeverMovesBackwards(long seed) {
    Random r = new Random(seed);
    TaskState[] desires = {TaskState.READY, TaskState.RUNNING, TaskState.RUNNING, TaskState.SHUTDOWN, TaskState.COMPLETE};
    for (int run = 0; run < 200; run++) {
      TaskStatus s = st(TaskState.ASSIGNED);
      Facts f = new Facts(false, false, r.nextBoolean());
      TaskState desired = TaskState.RUNNING;
      for (int i = 0; i < 30; i++) {
        if (r.nextInt(5) == 0) {
          desired = desires[r.nextInt(desires.length)];
          if (s.state().atLeast(TaskState.SHUTDOWN) || desired.before(TaskState.SHUTDOWN) && i > 20) {
            desired = TaskState.SHUTDOWN;
          }
        }
        TaskStatus before = s;
        Step step = TaskStateMachine.next(s, desired, f, T0);
        if (step instanceof Advance a) {
          s = a.status();
        } else if (step instanceof Invoke inv) {
          Throwable err = r.nextInt(6) == 0 ? new ExecutorException.Failed("boom") : null;
          switch (inv.op()) {
            case PREPARE -> s = TaskStateMachine.afterPrepare(s, err, T0);
            case START -> {
              if (err == null) {
                f = f.withStarted();
              }
              s = TaskStateMachine.afterStart(s, err, f.healthcheck(), null, T0);
            }
            case AWAIT_HEALTHY, AWAIT_EXIT -> {
              if (r.nextBoolean()) {
                f = f.withStopped();
                s = TaskStateMachine.afterExit(s, new ExitStatus(r.nextInt(3)), T0);
              } else {
                ObservedTask.Health h = r.nextBoolean() ? ObservedTask.Health.HEALTHY : ObservedTask.Health.UNHEALTHY;
                s = TaskStateMachine.afterHealth(s, new ObservedTask("t", "c", ObservedTask.RuntimeState.RUNNING,
                    null, 1, h, List.of()), T0);
              }
            }
            case SHUTDOWN -> {
              f = f.withStopped();
              s = TaskStateMachine.afterShutdown(s, T0);
            }
            default -> throw new AssertionError();
          }
        }
        assertThat(s.state()).as("seed %d run %d step %d", seed, run, i).isGreaterThanOrEqualTo(before.state());
      }
    }
  }
}
