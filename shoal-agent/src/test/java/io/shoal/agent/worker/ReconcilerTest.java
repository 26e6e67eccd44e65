package io.shoal.agent.worker;

import static io.shoal.testkit.TaskFixtures.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.agent.exec.ObservedTask;
import io.shoal.api.dispatch.Assignments;
import io.shoal.api.model.Task;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReconcilerTest {
  private static ObservedTask running(String taskId) {
    return new ObservedTask(taskId, "c-" + taskId, ObservedTask.RuntimeState.RUNNING, null, 1,
        ObservedTask.Health.NONE, List.of());
  }

  @Test
  void newTasksGetRunnersAndExistingContainersAreAdopted() {
    Task a = task("a", "n1");
    Task b = task("b", "n1");
    WorkerState s = WorkerState.EMPTY.apply(Assignments.full(List.of(a, b), List.of(), List.of()));
    var plan = Reconciler.plan(s, Set.of(), List.of(running("b")));
    assertThat(plan.create()).extracting(c -> c.task().id()).containsExactly("a", "b");
    assertThat(plan.create().get(0).existing()).isNull();
    assertThat(plan.create().get(1).existing().containerId()).isEqualTo("c-b");
    assertThat(plan.orphans()).isEmpty();
  }

  @Test
  void removedTasksAreStoppedAndKeptOnesUpdated() {
    WorkerState s = WorkerState.EMPTY.apply(Assignments.full(List.of(task("a", "n1")), List.of(), List.of()));
    s = s.apply(Assignments.increment(List.of(task("c", "n1")), List.of("a")));
    var plan = Reconciler.plan(s, Set.of("a", "c"), List.of());
    assertThat(plan.stop()).containsExactly("a");
    assertThat(plan.update()).extracting(Task::id).containsExactly("c");
    assertThat(plan.create()).isEmpty();
  }

  @Test
  void orphansAreRemovedOnlyWithAnAuthoritativeSet() {
    WorkerState fromDisk = new WorkerState(java.util.Map.of("a", task("a", "n1")), java.util.Map.of(),
        java.util.Map.of(), false);
    var offline = Reconciler.plan(fromDisk, Set.of(), List.of(running("a"), running("zombie")));
    assertThat(offline.orphans()).isEmpty();
    assertThat(offline.create()).extracting(c -> c.task().id()).containsExactly("a");

    WorkerState confirmed = fromDisk.apply(Assignments.full(List.of(task("a", "n1")), List.of(), List.of()));
    assertThat(confirmed.authoritative()).isTrue();
    var online = Reconciler.plan(confirmed, Set.of("a"), List.of(running("zombie")));
    assertThat(online.orphans()).extracting(ObservedTask::taskId).containsExactly("zombie");
    assertThat(online.create()).isEmpty();
  }

  @Test
  void fullSetReplacesEverything() {
    WorkerState s = WorkerState.EMPTY.apply(Assignments.full(List.of(task("a", "n1"), task("b", "n1")), List.of(), List.of()));
    s = s.apply(Assignments.full(List.of(task("c", "n1")), List.of(), List.of()));
    assertThat(s.tasks().keySet()).containsExactly("c");
    assertThat(Reconciler.plan(s, Set.of("a", "b"), List.of()).stop()).containsExactly("a", "b");
  }

  @Test
  void emptyPlanWhenNothingChanges() {
    WorkerState s = WorkerState.EMPTY.apply(Assignments.full(List.of(), List.of(), List.of()));
    assertThat(Reconciler.plan(s, Set.of(), List.of()).isEmpty()).isTrue();
  }
}
