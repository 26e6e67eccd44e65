package io.shoal.manager.orchestrator;

import static io.shoal.manager.Fx.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.model.Node;
import io.shoal.api.model.Placement;
import io.shoal.api.model.Service;
import io.shoal.api.model.ServiceSpec;
import io.shoal.api.model.Task;
import io.shoal.api.model.TaskState;
import io.shoal.manager.Harness;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GlobalPlannerTest {

  static List<String> runningNodes(Harness h, Service s) {
    return h.running(s.id()).stream().map(Task::nodeID).sorted().toList();
  }

  @Test
  void aTaskStoppedByADrainThatReportsFailedOnReturnIsNotAVerdictOfThePolicy() {
    GlobalPlanner planner = new GlobalPlanner(new TaskFactory(new java.util.SplittableRandom(3)));
    Service any = service("g1", withRestart(globalSpec("agent"), "any", null, null, null));
    Service none = service("g2", withRestart(globalSpec("agent"), "none", null, null, null));
    // drained while down (desired SHUTDOWN), back and active, reports its container gone: FAILED
    Task a = task("a", any, 0, "n1", TaskState.FAILED, TaskState.SHUTDOWN, T0);
    Task b = task("b", none, 0, "n1", TaskState.FAILED, TaskState.SHUTDOWN, T0);
    assertThat(planner.plan(any, List.of(a), List.of(node("n1")), T0.plusSeconds(5)).creates)
        .as("policy any: the node gets a task again").hasSize(1);
    assertThat(planner.plan(none, List.of(b), List.of(node("n1")), T0.plusSeconds(5)).creates)
        .as("policy none: ended for good").isEmpty();
  }

  @Test
  void oneTaskPerEligibleNode() {
    Harness h = new Harness(21).nodes(node("n1"), node("n2"), node("n3", Node.DOWN, Node.NodeSpec.ACTIVE),
        node("n4", Node.READY, Node.NodeSpec.DRAIN), node("n5", Node.READY, Node.NodeSpec.PAUSE));
    Service s = h.create(globalSpec("agent"));
    h.settle();
    assertThat(runningNodes(h, s)).containsExactly("n1", "n2");
    assertThat(h.tasks(s.id())).hasSize(2).allSatisfy(t -> assertThat(t.slot()).isZero());

    // a new node gets one
    h.nodes(node("n6"));
    h.settle();
    assertThat(runningNodes(h, s)).containsExactly("n1", "n2", "n6");
    // drain stops it; back to active starts a new one
    h.updateNode("n2", n -> n.withSpec(n.spec().withAvailability(Node.NodeSpec.DRAIN)));
    h.settle();
    assertThat(runningNodes(h, s)).containsExactly("n1", "n6");
    h.updateNode("n2", n -> n.withSpec(n.spec().withAvailability(Node.NodeSpec.ACTIVE)));
    h.settle();
    assertThat(runningNodes(h, s)).containsExactly("n1", "n2", "n6");
    // pause keeps the running task
    h.updateNode("n1", n -> n.withSpec(n.spec().withAvailability(Node.NodeSpec.PAUSE)));
    h.settle();
    assertThat(runningNodes(h, s)).containsExactly("n1", "n2", "n6");
    // a down node keeps its task (it may come back), and gets no second one
    h.updateNode("n6", n -> n.withStatus(new Node.Status(Node.DOWN, "heartbeat failure", null)));
    h.settle();
    assertThat(h.tasks(s.id()).stream().filter(t -> "n6".equals(t.nodeID()))).hasSize(1)
        .allSatisfy(t -> assertThat(t.desiredState()).isEqualTo(TaskState.RUNNING));
  }

  @Test
  void constraintsChooseTheNodesAndAreReappliedWhenLabelsChange() {
    Harness h = new Harness(22).nodes(withLabels(node("n1"), Map.of("gpu", "yes")), node("n2"));
    ServiceSpec spec = globalSpec("gpu");
    spec = spec.withTaskTemplate(spec.taskTemplate().withPlacement(new Placement(List.of("node.labels.gpu==yes"), null, null, null)));
    Service s = h.create(spec);
    h.settle();
    assertThat(runningNodes(h, s)).containsExactly("n1");
    h.updateNode("n2", n -> withLabels(n, Map.of("gpu", "yes")));
    h.updateNode("n1", n -> withLabels(n, Map.of()));
    h.settle();
    assertThat(runningNodes(h, s)).containsExactly("n2");
  }

  @Test
  void failedTaskRestartsOnItsNodeOnceAndNoneMeansNone() {
    Harness h = new Harness(23).nodes(node("n1"), node("n2"));
    Service s = h.create(withRestart(globalSpec("g"), "any", 0L, null, null));
    h.settle();
    Task onN1 = h.running(s.id()).stream().filter(t -> t.nodeID().equals("n1")).findFirst().orElseThrow();
    h.report(onN1.id(), TaskState.FAILED);
    h.settle();
    assertThat(runningNodes(h, s)).containsExactly("n1", "n2");
    assertThat(h.tasks(s.id())).hasSize(3);

    Harness g = new Harness(24).nodes(node("n1"));
    Service none = g.create(withRestart(globalSpec("g"), "none", 0L, null, null));
    g.settle();
    g.report(g.running(none.id()).get(0).id(), TaskState.COMPLETE);
    g.settleFor(Duration.ofSeconds(20), Duration.ofSeconds(5));
    assertThat(g.tasks(none.id())).hasSize(1);
    assertThat(g.running(none.id())).isEmpty();
  }

  @Test
  void removedNodeTasksAreRemoved() {
    Harness h = new Harness(25).nodes(node("n1"), node("n2"));
    Service s = h.create(globalSpec("g"));
    h.settle();
    h.updateNode("n2", n -> n.withStatus(new Node.Status(Node.DOWN, null, null)));
    h.store.update(tx -> tx.delete(io.shoal.api.model.StoreObject.Kind.NODE, "n2"));
    h.settle();
    assertThat(h.tasks(s.id())).extracting(Task::nodeID).containsExactly("n1");
  }

  @Test
  void rollingUpdateOfAGlobalServiceReplacesTheTaskOnEveryNode() {
    Harness h = new Harness(26).nodes(node("n1"), node("n2"), node("n3"));
    io.shoal.api.model.UpdateConfig u = new io.shoal.api.model.UpdateConfig(1L, 0L, "pause", 1_000_000_000L, 0.0, "stop-first");
    Service s = h.create(globalSpec("g").withUpdateConfig(u));
    h.settle();
    ServiceSpec next = globalSpec("g").withUpdateConfig(u).withTaskTemplate(taskSpec("busybox:2"));
    h.api.updateService(s.id(), h.service(s.id()).version().index(), next, false);
    h.settleFor(Duration.ofSeconds(5), Duration.ofSeconds(1));
    assertThat(h.running(s.id())).hasSize(3)
        .allSatisfy(t -> assertThat(t.spec().containerSpec().image()).isEqualTo("busybox:2"));
    assertThat(runningNodes(h, s)).containsExactly("n1", "n2", "n3");
    assertThat(h.service(s.id()).updateStatus().state()).isEqualTo("completed");
  }
}
