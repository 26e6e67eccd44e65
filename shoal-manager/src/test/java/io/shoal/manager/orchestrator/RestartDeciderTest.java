package io.shoal.manager.orchestrator;

import static io.shoal.manager.Fx.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.model.Service;
import io.shoal.api.model.Task;
import io.shoal.api.model.TaskState;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RestartDeciderTest {
  static final long SEC = 1_000_000_000L;

  Task ended(Service s, String id, TaskState state, Instant created, Instant ended) {
    return at(task(id, s, 1, "n1", state, TaskState.RUNNING, created), state, ended);
  }

  @Test
  void conditions() {
    for (String cond : List.of("none", "on-failure", "any")) {
      Service s = service("s", withRestart(spec("w", 1), cond, null, null, null));
      Task failed = ended(s, "t", TaskState.FAILED, T0, T0);
      Task complete = ended(s, "t", TaskState.COMPLETE, T0, T0);
      Task lost = task("t", s, 1, "n1", TaskState.RUNNING, TaskState.RUNNING, T0);
      assertThat(RestartDecider.shouldRestart(failed, List.of(failed), T0)).as(cond).isEqualTo(!cond.equals("none"));
      assertThat(RestartDecider.shouldRestart(complete, List.of(complete), T0)).as(cond).isEqualTo(cond.equals("any"));
      assertThat(RestartDecider.shouldRestart(lost, List.of(lost), T0)).as(cond).isEqualTo(!cond.equals("none"));
    }
    // Swarm's default is any
    Service d = service("s", spec("w", 1));
    Task c = ended(d, "t", TaskState.COMPLETE, T0, T0);
    assertThat(RestartDecider.shouldRestart(c, List.of(c), T0)).isTrue();
  }

  @Test
  void maxAttemptsCountsRestartsInsideTheWindow() {
    Service s = service("s", withRestart(spec("w", 1), "any", null, 2L, 60 * SEC));
    Task t1 = ended(s, "t1", TaskState.FAILED, T0, T0.plusSeconds(1));
    Task t2 = ended(s, "t2", TaskState.FAILED, T0.plusSeconds(2), T0.plusSeconds(3));
    Task t3 = ended(s, "t3", TaskState.FAILED, T0.plusSeconds(4), T0.plusSeconds(5));
    assertThat(RestartDecider.shouldRestart(t1, List.of(t1), T0.plusSeconds(1))).isTrue();
    assertThat(RestartDecider.shouldRestart(t2, List.of(t2, t1), T0.plusSeconds(3))).isTrue();
    assertThat(RestartDecider.shouldRestart(t3, List.of(t3, t2, t1), T0.plusSeconds(5))).isFalse();
    // restarts older than the window no longer count
    assertThat(RestartDecider.shouldRestart(t3, List.of(t3, t2, t1), T0.plusSeconds(63))).isTrue();
    // without a window every restart counts
    Service nw = service("s", withRestart(spec("w", 1), "any", null, 2L, null));
    Task u1 = ended(nw, "u1", TaskState.FAILED, T0, T0);
    Task u2 = ended(nw, "u2", TaskState.FAILED, T0.plusSeconds(100), T0);
    Task u3 = ended(nw, "u3", TaskState.FAILED, T0.plusSeconds(200), T0);
    assertThat(RestartDecider.shouldRestart(u3, List.of(u3, u2, u1), T0.plusSeconds(99999))).isFalse();
  }

  @Test
  void restartsCreatedInOneClockTickStillCount() {
    Service s = service("s", withRestart(spec("w", 1), "any", null, 1L, null));
    Task t1 = ended(s, "t1", TaskState.FAILED, T0, T0);
    Task t2 = ended(s, "t2", TaskState.FAILED, T0, T0);
    assertThat(RestartDecider.shouldRestart(t2, List.of(t1, t2), T0)).isFalse();
  }

  @Test
  void startAtWaitsTheDelayAfterATaskThatEndedByItself() {
    Service s = service("s", withRestart(spec("w", 1), "any", 5 * SEC, null, null));
    Task failed = ended(s, "old", TaskState.FAILED, T0, T0.plusSeconds(10));
    Task repl = task("new", s, 1, null, TaskState.NEW, TaskState.READY, T0.plusSeconds(10));
    assertThat(RestartDecider.startAt(repl, List.of(repl, failed))).isEqualTo(T0.plusSeconds(15));
    // stopped by the managers (update, drain): no delay
    Task stopped = at(task("old", s, 1, "n1", TaskState.SHUTDOWN, TaskState.SHUTDOWN, T0), TaskState.SHUTDOWN, T0.plusSeconds(10));
    assertThat(RestartDecider.startAt(repl, List.of(repl, stopped))).isEqualTo(Instant.MIN);
    // nothing ended before it (scale-up)
    assertThat(RestartDecider.startAt(repl, List.of(repl))).isEqualTo(Instant.MIN);
  }

  @Test
  void promoteWaitsForTheOldTaskToStopUnlessItsNodeIsLost() {
    Service s = service("s", withRestart(spec("w", 1), "any", 0L, null, null));
    Task old = task("old", s, 1, "n1", TaskState.RUNNING, TaskState.SHUTDOWN, T0);
    Task repl = task("new", s, 1, "n2", TaskState.READY, TaskState.READY, T0.plusSeconds(1));
    var nodes = java.util.Map.of("n1", node("n1"), "n2", node("n2"));
    assertThat(ReplicatedPlanner.promote(List.of(old, repl), nodes, false, T0.plusSeconds(2)).isEmpty()).isTrue();
    var down = java.util.Map.of("n1", node("n1", "down", "active"), "n2", node("n2"));
    assertThat(ReplicatedPlanner.promote(List.of(old, repl), down, false, T0.plusSeconds(2)).updates)
        .singleElement().satisfies(o -> assertThat(((Task) o).desiredState()).isEqualTo(TaskState.RUNNING));
  }
}
