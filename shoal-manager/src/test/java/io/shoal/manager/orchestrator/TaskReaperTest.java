package io.shoal.manager.orchestrator;

import static io.shoal.manager.Fx.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.model.Node;
import io.shoal.api.model.Service;
import io.shoal.api.model.StoreObject;
import io.shoal.api.model.Task;
import io.shoal.api.model.TaskState;
import io.shoal.manager.Harness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskReaperTest {
  final Service svc = service("s1", spec("web", 1));
  final Map<String, Service> services = Map.of("s1", svc);
  final Map<String, Node> nodes = Map.of("n1", node("n1"));

  @Test
  void keepsTheHistoryLimitPerSlotNewestFirst() {
    List<Task> tasks = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      tasks.add(task("a" + i, svc, 1, "n1", TaskState.FAILED, TaskState.SHUTDOWN, T0.plusSeconds(i)));
      tasks.add(task("b" + i, svc, 2, "n1", TaskState.FAILED, TaskState.SHUTDOWN, T0.plusSeconds(i)));
    }
    tasks.add(task("a8", svc, 1, "n1", TaskState.RUNNING, TaskState.RUNNING, T0.plusSeconds(8)));
    Plan p = TaskReaper.plan(services, tasks, nodes, 5);
    assertThat(p.deletes).extracting(StoreObject::id).containsExactlyInAnyOrder("a0", "a1", "a2", "a3", "b0", "b1", "b2");
    assertThat(p.updates).isEmpty();
  }

  @Test
  void neverDeletesWhatMayStillRun() {
    List<Task> tasks = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      // told to shut down but not yet stopped: kept even beyond the limit
      tasks.add(task("a" + i, svc, 1, "n1", TaskState.RUNNING, TaskState.SHUTDOWN, T0.plusSeconds(i)));
    }
    assertThat(TaskReaper.plan(services, tasks, nodes, 5).isEmpty()).isTrue();
  }

  @Test
  void removeIsDeletedOnceStoppedAndOrphansAreAskedToStop() {
    Task stopped = task("r1", svc, 2, "n1", TaskState.SHUTDOWN, TaskState.REMOVE, T0);
    Task stillRunning = task("r2", svc, 3, "n1", TaskState.RUNNING, TaskState.REMOVE, T0);
    Task neverRan = task("r3", svc, 4, null, TaskState.PENDING, TaskState.REMOVE, T0);
    Task onGoneNode = task("r4", svc, 5, "n9", TaskState.RUNNING, TaskState.REMOVE, T0);
    Service gone = service("gone", spec("gone", 1));
    Task orphan = task("o1", gone, 1, "n1", TaskState.RUNNING, TaskState.RUNNING, T0);
    Plan p = TaskReaper.plan(services, List.of(stopped, stillRunning, neverRan, onGoneNode, orphan), nodes, 5);
    assertThat(p.deletes).extracting(StoreObject::id).containsExactlyInAnyOrder("r1", "r3", "r4");
    assertThat(p.updates).singleElement().satisfies(o -> {
      assertThat(o.id()).isEqualTo("o1");
      assertThat(((Task) o).desiredState()).isEqualTo(TaskState.REMOVE);
    });
  }

  @Test
  void historyStaysBoundedThroughManyFailures() {
    Harness h = new Harness(51).nodes(node("n1"));
    Service s = h.create(withRestart(spec("web", 2), "any", 0L, null, null));
    h.settle();
    for (int i = 0; i < 12; i++) {
      for (Task t : h.running(s.id())) h.report(t.id(), TaskState.FAILED);
      h.clock.advance(Duration.ofSeconds(1));
      h.settle();
    }
    assertThat(h.running(s.id())).hasSize(2);
    assertThat(h.tasks(s.id()).stream().filter(t -> t.slot() == 1)).hasSize(5);
    assertThat(h.tasks(s.id()).stream().filter(t -> t.slot() == 2)).hasSize(5);
  }

  @Test
  void removingTheServiceDeletesItsTasksOnceStopped() {
    Harness h = new Harness(52).nodes(node("n1"));
    Service s = h.create(spec("web", 3));
    h.settle();
    h.api.removeService("web");
    h.settle();
    assertThat(h.all()).isEmpty();
  }

  @Test
  void aNegativeLimitKeepsAllHistory() {
    List<Task> tasks = new ArrayList<>();
    for (int i = 0; i < 8; i++) tasks.add(task("a" + i, svc, 1, "n1", TaskState.FAILED, TaskState.SHUTDOWN, T0.plusSeconds(i)));
    assertThat(TaskReaper.plan(services, tasks, nodes, -1).isEmpty()).isTrue();
  }

  @Test
  void maxAttemptsAboveTheHistoryLimitStillStopsRestarts() {
    Harness h = new Harness(53).nodes(node("n1"));
    Service s = h.create(withRestart(spec("web", 1), "any", 0L, 7L, null));
    h.failOnStart = t -> true;
    h.settleFor(Duration.ofSeconds(20), Duration.ofSeconds(1));
    // the first run and 7 restarts, then given up; the history holds all 8 to count them
    assertThat(h.tasks(s.id())).hasSize(8).allSatisfy(t -> assertThat(t.state()).isEqualTo(TaskState.FAILED));
  }
}
