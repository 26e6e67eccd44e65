package io.shoal.manager.orchestrator;

import static io.shoal.manager.Fx.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.model.Node;
import io.shoal.api.model.Service;
import io.shoal.api.model.ServiceMode;
import io.shoal.api.model.ServiceSpec;
import io.shoal.api.model.Task;
import io.shoal.api.model.TaskState;
import io.shoal.manager.Harness;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ReplicatedPlannerTest {
  final ReplicatedPlanner planner = new ReplicatedPlanner(new TaskFactory(new SplittableRandom(1)));
  final Service svc = service("s1", spec("web", 5));
  final Map<String, Node> nodes = Map.of("n1", node("n1"));

  Task running(String id, long slot) {
    return task(id, svc, slot, "n1", TaskState.RUNNING, TaskState.RUNNING, T0);
  }

  @Test
  void onlyTheNewestWaitingTaskOfASlotIsPromotedTheOlderOneIsSuperseded() {
    // two stop-first updates within one round trip: both replacements wait (desired READY) in slot 1
    Task older = task("old", svc, 1, "n1", TaskState.ASSIGNED, TaskState.READY, T0.plusSeconds(1));
    Task newer = task("new", svc, 1, "n1", TaskState.ASSIGNED, TaskState.READY, T0.plusSeconds(2));
    Task gone = task("gone", svc, 1, "n1", TaskState.SHUTDOWN, TaskState.SHUTDOWN, T0);
    Plan p = ReplicatedPlanner.promote(List.of(gone, older, newer), nodes, false, T0.plusSeconds(3));
    assertThat(p.updates).hasSize(2);
    assertThat(p.updates).filteredOn(o -> ((Task) o).id().equals("new"))
        .singleElement().extracting(o -> ((Task) o).desiredState()).isEqualTo(TaskState.RUNNING);
    assertThat(p.updates).filteredOn(o -> ((Task) o).id().equals("old"))
        .singleElement().extracting(o -> ((Task) o).desiredState()).isEqualTo(TaskState.SHUTDOWN);
  }

  @Test
  void scaleUpFillsTheLowestFreeSlots() {
    Plan p = planner.plan(svc, List.of(running("a", 1), running("b", 2), running("c", 4), running("d", 6)), nodes, T0);
    assertThat(p.creates).extracting(Task::slot).containsExactly(3L);
    Plan q = planner.plan(svc.withSpec(spec("web", 7), null), List.of(running("a", 1), running("c", 4)), nodes, T0);
    assertThat(q.creates).extracting(Task::slot).containsExactly(2L, 3L, 5L, 6L, 7L);
    assertThat(q.creates).allSatisfy(t -> {
      assertThat(t.desiredState()).isEqualTo(TaskState.RUNNING);
      assertThat(t.state()).isEqualTo(TaskState.NEW);
      assertThat(t.serviceID()).isEqualTo("s1");
      assertThat(t.nodeID()).isNull();
      assertThat(t.name()).isEqualTo("web." + t.slot());
    });
  }

  @Test
  void scaleDownRemovesTheHighestSlotsDesiredRemove() {
    Service two = svc.withSpec(spec("web", 2), null);
    Task old = task("h", svc, 5, "n1", TaskState.FAILED, TaskState.SHUTDOWN, T0.minusSeconds(60));
    Plan p = planner.plan(two, List.of(running("a", 1), running("b", 2), running("c", 4), running("d", 5), old), nodes, T0);
    assertThat(p.creates).isEmpty();
    assertThat(p.updates).allSatisfy(o -> assertThat(((Task) o).desiredState()).isEqualTo(TaskState.REMOVE));
    assertThat(p.updates).extracting(o -> o.id()).containsExactlyInAnyOrder("c", "d", "h");
  }

  @Test
  void scaleToZeroAndNothingToDo() {
    assertThat(planner.plan(svc.withSpec(spec("web", 0), null), List.of(running("a", 1)), nodes, T0).updates).hasSize(1);
    assertThat(planner.plan(svc.withSpec(spec("web", 1), null), List.of(running("a", 1)), nodes, T0).isEmpty()).isTrue();
  }

  @Test
  void aSlotGetsOneReplacementEvenWhenTwoOfItsTasksAreLost() {
    // start-first update in flight: old and new task of slot 1 both on a node that went down
    Map<String, Node> down = Map.of("n1", node("n1", Node.DOWN, Node.NodeSpec.ACTIVE));
    Service one = svc.withSpec(spec("web", 1), null);
    Task oldT = task("old", one, 1, "n1", TaskState.RUNNING, TaskState.RUNNING, T0);
    Task newT = task("new", one, 1, "n1", TaskState.STARTING, TaskState.RUNNING, T0.plusSeconds(1));
    Plan p = planner.plan(one, List.of(oldT, newT), down, T0.plusSeconds(2));
    assertThat(p.creates).hasSize(1);
    assertThat(p.creates.get(0).slot()).isEqualTo(1);
    assertThat(p.updates).extracting(o -> ((Task) o).desiredState()).containsOnly(TaskState.SHUTDOWN);
  }

  @Test
  void serviceScalesUpAndDownEndToEnd() {
    Harness h = new Harness(7).nodes(node("n1"), node("n2"), node("n3"));
    Service s = h.create(spec("web", 3));
    h.settle();
    assertThat(Harness.slots(h.running(s.id()))).containsExactly(1L, 2L, 3L);
    // spread: one per node
    assertThat(h.running(s.id())).extracting(Task::nodeID).containsExactlyInAnyOrder("n1", "n2", "n3");

    h.api.updateService(s.id(), h.service(s.id()).version().index(), spec("web", 6), false);
    h.settle();
    assertThat(Harness.slots(h.running(s.id()))).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);

    h.api.updateService(s.id(), h.service(s.id()).version().index(), spec("web", 2), false);
    h.settle();
    assertThat(Harness.slots(h.running(s.id()))).containsExactly(1L, 2L);
    // removed slots' tasks stopped and were deleted by the reaper
    assertThat(h.tasks(s.id())).hasSize(2);
  }

  @Test
  void tasksOnADownOrDrainedNodeAreReplacedInTheSameSlot() {
    Harness h = new Harness(8).nodes(node("n1"), node("n2"), node("n3"));
    Service s = h.create(spec("web", 3));
    h.settle();
    Task onN1 = h.running(s.id()).stream().filter(t -> t.nodeID().equals("n1")).findFirst().orElseThrow();
    h.updateNode("n1", n -> n.withStatus(new Node.Status(Node.DOWN, "heartbeat failure", null)));
    h.settle();
    assertThat(Harness.slots(h.running(s.id()))).as(h.dump()).containsExactly(1L, 2L, 3L);
    Task replacement = h.running(s.id()).stream().filter(t -> t.slot() == onN1.slot()).findFirst().orElseThrow();
    assertThat(replacement.nodeID()).isNotEqualTo("n1");
    assertThat(h.store.view(tx -> tx.task(onN1.id())).desiredState()).isEqualTo(TaskState.SHUTDOWN);

    Task onN2 = h.running(s.id()).stream().filter(t -> t.nodeID().equals("n2")).findFirst().orElseThrow();
    h.updateNode("n2", n -> n.withSpec(n.spec().withAvailability(Node.NodeSpec.DRAIN)));
    h.settle(); // no clock move: a drained node's tasks are replaced without the restart delay
    assertThat(h.running(s.id())).hasSize(3).allSatisfy(t -> assertThat(t.nodeID()).isEqualTo("n3"));
    assertThat(h.running(s.id())).extracting(Task::slot).contains(onN2.slot());
    assertThat(h.store.view(tx -> tx.task(onN2.id())).state()).isEqualTo(TaskState.SHUTDOWN);
  }

  @Test
  void drainOfTheOnlyNodeLeavesTasksPendingWithTheReason() {
    Harness h = new Harness(9).nodes(node("n1"));
    Service s = h.create(spec("web", 2));
    h.settle();
    h.updateNode("n1", n -> n.withSpec(n.spec().withAvailability(Node.NodeSpec.DRAIN)));
    h.settle();
    List<Task> active = h.tasks(s.id()).stream().filter(Slots::active).toList();
    assertThat(active).withFailMessage(h.dump()).hasSize(2).allSatisfy(t -> {
      assertThat(t.state()).isEqualTo(TaskState.PENDING);
      assertThat(t.status().err()).isEqualTo("no suitable node (1 node not available for new tasks)");
    });
    h.updateNode("n1", n -> n.withSpec(n.spec().withAvailability(Node.NodeSpec.ACTIVE)));
    h.settle();
    assertThat(h.running(s.id())).hasSize(2);
  }

  @Test
  void restartDelayHoldsTheReplacementUntilPromoted() {
    Harness h = new Harness(10).nodes(node("n1"));
    Service s = h.create(withRestart(spec("web", 1), "any", 5_000_000_000L, null, null));
    h.settle();
    Task first = h.running(s.id()).get(0);
    h.report(first.id(), TaskState.FAILED);
    h.settle();
    Task repl = h.tasks(s.id()).stream().filter(Slots::active).findFirst().orElseThrow();
    assertThat(repl.slot()).isEqualTo(first.slot());
    assertThat(repl.desiredState()).isEqualTo(TaskState.READY);
    h.clock.advance(Duration.ofSeconds(4));
    h.settle();
    assertThat(h.store.view(tx -> tx.task(repl.id())).desiredState()).isEqualTo(TaskState.READY);
    h.clock.advance(Duration.ofSeconds(1));
    h.settle();
    assertThat(h.running(s.id())).extracting(Task::id).containsExactly(repl.id());
    // the failed one is kept as history
    assertThat(h.tasks(s.id())).extracting(Task::id).contains(first.id());
  }

  @Test
  void restartConditionNoneOnFailureAny() {
    for (String cond : List.of("none", "on-failure", "any")) {
      for (TaskState end : List.of(TaskState.COMPLETE, TaskState.FAILED)) {
        Harness h = new Harness(11).nodes(node("n1"));
        Service s = h.create(withRestart(spec("web", 1), cond, 0L, null, null));
        h.settle();
        Task first = h.running(s.id()).get(0);
        h.report(first.id(), end);
        h.settleFor(Duration.ofSeconds(30), Duration.ofSeconds(5));
        boolean restarted = cond.equals("any") || cond.equals("on-failure") && end == TaskState.FAILED;
        assertThat(h.running(s.id())).as(cond + " after " + end).hasSize(restarted ? 1 : 0);
        assertThat(h.tasks(s.id())).as(cond + " after " + end).hasSize(restarted ? 2 : 1);
      }
    }
  }

  @Test
  void maxAttemptsWithinWindowThenGivesUpForGood() {
    Harness h = new Harness(12).nodes(node("n1"));
    Service s = h.create(withRestart(spec("web", 1), "on-failure", 0L, 2L, 60_000_000_000L));
    h.failOnStart = t -> true;
    h.settle();
    // first run + 2 restarts, all failed
    assertThat(h.tasks(s.id())).hasSize(3).allSatisfy(t -> assertThat(t.state()).isEqualTo(TaskState.FAILED));
    // the window passing does not bring the slot back: the decision was made when it failed
    h.settleFor(Duration.ofMinutes(3), Duration.ofSeconds(30));
    assertThat(h.tasks(s.id())).hasSize(3);
  }

  @Test
  void failuresOutsideTheWindowDoNotCount() {
    Harness h = new Harness(13).nodes(node("n1"));
    Service s = h.create(withRestart(spec("web", 1), "on-failure", 0L, 1L, 10_000_000_000L));
    h.settle();
    for (int i = 0; i < 4; i++) {
      h.clock.advance(Duration.ofSeconds(20));
      h.report(h.running(s.id()).get(0).id(), TaskState.FAILED);
      h.settle();
      assertThat(h.running(s.id())).as("restart " + i).hasSize(1);
    }
  }

  @Test
  void updateReplacementsAreNotCountedAsRestarts() {
    Harness h = new Harness(14).nodes(node("n1"));
    ServiceSpec spec = withRestart(spec("web", 1), "on-failure", 0L, 1L, null);
    Service s = h.create(spec);
    h.settle();
    for (String image : List.of("busybox:2", "busybox:3")) {
      ServiceSpec next = spec.withTaskTemplate(spec.taskTemplate().withContainerSpec(spec.taskTemplate().containerSpec().withImage(image)));
      h.api.updateService(s.id(), h.service(s.id()).version().index(), next, false);
      h.settleFor(Duration.ofSeconds(10), Duration.ofSeconds(1));
    }
    assertThat(h.running(s.id())).hasSize(1);
    h.report(h.running(s.id()).get(0).id(), TaskState.FAILED);
    h.settle();
    assertThat(h.running(s.id())).as("one restart allowed after updates").hasSize(1);
  }

  @Test
  void replicatedModeDefaultsToOneReplica() {
    Harness h = new Harness(15).nodes(node("n1"));
    Service s = h.create(spec("web", 1).withMode(new ServiceMode(null, null, null, null)));
    h.settle();
    assertThat(h.running(s.id())).hasSize(1);
  }
}
