package io.shoal.manager.scheduler;

import static io.shoal.manager.Fx.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.model.Endpoint;
import io.shoal.api.model.Node;
import io.shoal.api.model.Placement;
import io.shoal.api.model.PortConfig;
import io.shoal.api.model.Resources;
import io.shoal.api.model.Service;
import io.shoal.api.model.ServiceSpec;
import io.shoal.api.model.Task;
import io.shoal.api.model.TaskSpec;
import io.shoal.api.model.TaskState;
import io.shoal.api.model.Version;
import io.shoal.manager.orchestrator.Plan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SchedulerCoreTest {
  Service svc = service("s1", spec("web", 3));

  Service with(TaskSpec t) {
    return service("s1", svc.spec().withTaskTemplate(t));
  }

  static List<Task> pending(Service s, int n) {
    List<Task> out = new ArrayList<>();
    for (int i = 1; i <= n; i++) out.add(task("p" + i, s, i, null, TaskState.PENDING, TaskState.RUNNING, T0));
    return out;
  }

  static Map<String, String> placements(Plan p) {
    Map<String, String> out = new HashMap<>();
    for (var o : p.updates) {
      Task t = (Task) o;
      out.put(t.id(), t.state() == TaskState.ASSIGNED ? t.nodeID() : "pending: " + t.status().err());
    }
    return out;
  }

  @Test
  void explainsWhyNoNodeFits() {
    Plan p = SchedulerCore.schedule(pending(svc, 1), List.of(node("n1", Node.READY, Node.NodeSpec.DRAIN)), List.of(), T0);
    Task t = (Task) p.updates.get(0);
    assertThat(t.state()).isEqualTo(TaskState.PENDING);
    assertThat(t.status().message()).isEqualTo("pending task scheduling");
    assertThat(t.status().err()).isEqualTo("no suitable node (1 node not available for new tasks)");

    p = SchedulerCore.schedule(pending(svc, 1), List.of(node("n1", Node.DOWN, Node.NodeSpec.ACTIVE),
        node("n2", Node.READY, Node.NodeSpec.PAUSE)), List.of(), T0);
    assertThat(((Task) p.updates.get(0)).status().err()).isEqualTo("no suitable node (2 nodes not available for new tasks)");

    Service picky = with(svc.spec().taskTemplate()
        .withPlacement(new Placement(List.of("node.labels.zone==a"), null, null, null))
        .withResources(new Resources(null, new Resources.Limits(3_000_000_000L, null, null, null))));
    Node small = node("n2").withDescription(new Node.Description("h2", null, new Resources.Limits(1_000_000_000L, 1L << 30, null, null), null, null));
    p = SchedulerCore.schedule(pending(picky, 1), List.of(node("n1", Node.DOWN, Node.NodeSpec.ACTIVE), small, node("n3"), node("n4")), List.of(), T0);
    assertThat(((Task) p.updates.get(0)).status().err()).isEqualTo("no suitable node (1 node not available for new tasks; "
        + "insufficient resources on 1 node; scheduling constraints not satisfied on 2 nodes)");

    p = SchedulerCore.schedule(pending(svc, 1), List.of(), List.of(), T0);
    assertThat(((Task) p.updates.get(0)).status().err()).startsWith("no suitable node");
  }

  @Test
  void anUnchangedExplanationIsNotWrittenAgain() {
    Task t = pending(svc, 1).get(0);
    Plan p = SchedulerCore.schedule(List.of(t), List.of(node("n1", Node.READY, Node.NodeSpec.DRAIN)), List.of(), T0);
    Task once = (Task) p.updates.get(0);
    assertThat(SchedulerCore.schedule(List.of(once), List.of(node("n1", Node.READY, Node.NodeSpec.DRAIN)), List.of(), T0).isEmpty()).isTrue();
  }

  @Test
  void spreadsByServiceCountThenTotalLoad() {
    Task busy1 = task("x1", svc, 10, "n1", TaskState.RUNNING, TaskState.RUNNING, T0);
    Task busy2 = task("x2", svc, 11, "n1", TaskState.RUNNING, TaskState.RUNNING, T0);
    Service other = service("s2", spec("db", 1));
    Task otherOnN2 = task("o1", other, 1, "n2", TaskState.RUNNING, TaskState.RUNNING, T0);
    Plan p = SchedulerCore.schedule(pending(svc, 4), List.of(node("n1"), node("n2"), node("n3")),
        List.of(busy1, busy2, otherOnN2), T0);
    Map<String, Long> perNode = new HashMap<>();
    placements(p).values().forEach(n -> perNode.merge(n, 1L, Long::sum));
    // n1 already has 2 of the service: the 4 new ones fill n2 and n3 first (2 each)
    assertThat(perNode).containsEntry("n2", 2L).containsEntry("n3", 2L).doesNotContainKey("n1");
    // ties on the service count go to the less loaded node: the first goes to n3, not n2
    assertThat(placements(p).get("p1")).isEqualTo("n3");
  }

  @Test
  void placementPreferencesSpreadOverLabelValues() {
    Service s = with(svc.spec().taskTemplate().withPlacement(new Placement(null,
        List.of(new Placement.Preference(new Placement.Spread("node.labels.zone"))), null, null)));
    List<Node> nodes = List.of(withLabels(node("n1"), Map.of("zone", "a")), withLabels(node("n2"), Map.of("zone", "a")),
        withLabels(node("n3"), Map.of("zone", "a")), withLabels(node("n4"), Map.of("zone", "b")));
    Plan p = SchedulerCore.schedule(pending(s, 4), nodes, List.of(), T0);
    Map<String, String> placed = placements(p);
    long zoneB = placed.values().stream().filter("n4"::equals).count();
    assertThat(zoneB).isEqualTo(2); // half the tasks on the one node of zone b
    assertThat(placed.values().stream().filter(n -> !n.equals("n4")).distinct()).hasSize(2);
  }

  @Test
  void maxReplicasPerNode() {
    Service s = with(svc.spec().taskTemplate().withPlacement(new Placement(null, null, 1L, null)));
    Plan p = SchedulerCore.schedule(pending(s, 3), List.of(node("n1"), node("n2")), List.of(), T0);
    assertThat(placements(p).values()).containsExactlyInAnyOrder("n1", "n2",
        "pending: no suitable node (max replicas per node limit exceed)");
  }

  @Test
  void hostModePortsConflictPerNode() {
    Endpoint ep = new Endpoint(null, List.of(new PortConfig(null, "tcp", 80, 8080, PortConfig.HOST)), null);
    Service s = service("s1", svc.spec()).withEndpoint(ep);
    List<Task> tasks = new ArrayList<>();
    for (Task t : pending(s, 3)) tasks.add(t.withEndpoint(ep));
    Plan p = SchedulerCore.schedule(tasks, List.of(node("n1"), node("n2")), List.of(), T0);
    assertThat(placements(p).values()).containsExactlyInAnyOrder("n1", "n2",
        "pending: no suitable node (host-mode port already in use on 2 nodes)");
    // a task already running there holds the port too; udp is another port
    Task holder = task("h", service("s9", spec("x", 1)), 1, "n1", TaskState.RUNNING, TaskState.RUNNING, T0).withEndpoint(ep);
    Endpoint udp = new Endpoint(null, List.of(new PortConfig(null, "udp", 80, 8080, PortConfig.HOST)), null);
    Plan q = SchedulerCore.schedule(List.of(tasks.get(0), pending(s, 2).get(1).withEndpoint(udp)), List.of(node("n1")), List.of(holder), T0);
    assertThat(placements(q)).containsEntry("p1", "pending: no suitable node (host-mode port already in use on 1 node)")
        .containsEntry("p2", "n1");
  }

  @Test
  void resourceReservationsAddUp() {
    Service s = with(svc.spec().taskTemplate().withResources(new Resources(null, new Resources.Limits(1_500_000_000L, 3L << 30, null, null))));
    Plan p = SchedulerCore.schedule(pending(s, 3), List.of(node("n1")), List.of(), T0);
    assertThat(placements(p).values()).containsExactlyInAnyOrder("n1", "n1",
        "pending: no suitable node (insufficient resources on 1 node)");
    // what is already placed counts: one running task leaves room for one more
    Task placed = task("old", s, 9, "n1", TaskState.RUNNING, TaskState.RUNNING, T0);
    Plan q = SchedulerCore.schedule(pending(s, 2), List.of(node("n1")), List.of(placed), T0);
    assertThat(placements(q)).containsEntry("p1", "n1")
        .containsEntry("p2", "pending: no suitable node (insufficient resources on 1 node)");
  }

  @Test
  void aTaskWithANodeGoesThereOrNowhere() {
    Service g = service("g", globalSpec("g"));
    Task t = task("gt", g, 0, "n2", TaskState.PENDING, TaskState.RUNNING, T0);
    assertThat(placements(SchedulerCore.schedule(List.of(t), List.of(node("n1"), node("n2")), List.of(), T0)))
        .containsEntry("gt", "n2");
    assertThat(placements(SchedulerCore.schedule(List.of(t), List.of(node("n1"), node("n2", Node.READY, Node.NodeSpec.DRAIN)), List.of(), T0)))
        .containsEntry("gt", "pending: no suitable node (1 node not available for new tasks)");
  }

  @Test
  void randomClustersNeverOverfillANode() {
    long seed = new SplittableRandom().nextLong();
    SplittableRandom r = new SplittableRandom(seed);
    for (int round = 0; round < 50; round++) {
      int nodes = 1 + r.nextInt(6);
      List<Node> ns = new ArrayList<>();
      for (int i = 0; i < nodes; i++) {
        String avail = r.nextInt(5) == 0 ? Node.NodeSpec.DRAIN : Node.NodeSpec.ACTIVE;
        ns.add(node("n" + i, r.nextInt(6) == 0 ? Node.DOWN : Node.READY, avail));
      }
      long max = r.nextInt(3);
      long cpu = r.nextInt(3) * 1_000_000_000L;
      Service s = with(svc.spec().taskTemplate().withPlacement(new Placement(null, null, max, null))
          .withResources(new Resources(null, new Resources.Limits(cpu, null, null, null))));
      Plan p = SchedulerCore.schedule(pending(s, 1 + r.nextInt(12)), ns, List.of(), T0);
      Map<String, Long> perNode = new HashMap<>();
      for (var o : p.updates) {
        Task t = (Task) o;
        if (t.state() != TaskState.ASSIGNED) {
          assertThat(t.status().err()).as("seed " + seed).startsWith("no suitable node (");
          continue;
        }
        perNode.merge(t.nodeID(), 1L, Long::sum);
        Node n = ns.stream().filter(x -> x.id().equals(t.nodeID())).findFirst().orElseThrow();
        assertThat(n.isReady() && n.spec().availabilityOrActive().equals("active")).as("seed " + seed).isTrue();
      }
      for (long c : perNode.values()) {
        if (max > 0) assertThat(c).as("seed " + seed).isLessThanOrEqualTo(max);
        if (cpu > 0) assertThat(c * cpu).as("seed " + seed).isLessThanOrEqualTo(4_000_000_000L);
      }
      // spread: with no cap, the busiest and the idlest usable node differ by at most one
      long usable = ns.stream().filter(n -> n.isReady() && n.spec().availabilityOrActive().equals("active")).count();
      if (max == 0 && cpu == 0 && usable > 0) {
        long hi = perNode.values().stream().mapToLong(Long::longValue).max().orElse(0);
        long lo = perNode.size() < usable ? 0 : perNode.values().stream().mapToLong(Long::longValue).min().orElse(0);
        assertThat(hi - lo).as("seed " + seed).isLessThanOrEqualTo(1);
      }
    }
  }
}
