package io.shoal.manager.scheduler;

import static io.shoal.manager.Fx.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.model.Node;
import io.shoal.api.model.Placement;
import io.shoal.api.model.Resources;
import io.shoal.api.model.Service;
import io.shoal.api.model.Task;
import io.shoal.api.model.TaskSpec;
import io.shoal.api.model.TaskState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The ranked placement path makes exactly the decisions of the plain one it replaced (every node
 * through the filters, then the best by tasks of the service, tasks overall, node id), kept here
 * as the reference: random clusters with several services, two specs per service interleaved
 * (a rolling update), caps, reservations and tasks already placed.
 */
class SchedulerRankingTest {

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void sameDecisionsAsFilteringEveryNode(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    for (int round = 0; round < 40; round++) {
      List<Node> nodes = new ArrayList<>();
      int n = 1 + r.nextInt(12);
      for (int i = 0; i < n; i++) {
        String avail = r.nextInt(6) == 0 ? Node.NodeSpec.DRAIN : Node.NodeSpec.ACTIVE;
        nodes.add(node("n" + i, r.nextInt(8) == 0 ? Node.DOWN : Node.READY, avail));
      }
      List<Task> pending = new ArrayList<>();
      List<Task> placed = new ArrayList<>();
      int services = 1 + r.nextInt(3);
      for (int s = 0; s < services; s++) {
        Service[] specs = {service("s" + s, r), service("s" + s, r)};
        int tasks = r.nextInt(30);
        for (int k = 0; k < tasks; k++) {
          Service v = specs[r.nextInt(2)];
          if (r.nextInt(5) == 0) {
            // host-mode ports live on the task's endpoint, not its spec: same spec, other ports
            io.shoal.api.model.Endpoint ep = new io.shoal.api.model.Endpoint(null, List.of(new io.shoal.api.model.PortConfig(
                null, r.nextBoolean() ? "tcp" : "udp", 80, 8080, io.shoal.api.model.PortConfig.HOST)), null);
            pending.add(task("e" + s + "-" + k, v, k, null, TaskState.PENDING, TaskState.RUNNING, T0).withEndpoint(ep));
          } else if (r.nextInt(4) == 0) {
            placed.add(task("x" + s + "-" + k, v, k, "n" + r.nextInt(n), TaskState.RUNNING, TaskState.RUNNING, T0));
          } else {
            pending.add(task("p" + s + "-" + k, v, k, null, TaskState.PENDING, TaskState.RUNNING, T0));
          }
        }
      }
      Map<String, String> actual = new HashMap<>();
      SchedulerCoreTest.placements(SchedulerCore.schedule(pending, nodes, placed, T0))
          .forEach((k, v) -> actual.put(k, v.startsWith("pending") ? "pending" : v));
      assertThat(actual)
          .as("seed %d round %d", seed, round)
          .isEqualTo(reference(pending, nodes, placed));
    }
  }

  private static Service service(String id, SplittableRandom r) {
    long max = r.nextInt(3) == 0 ? 1 + r.nextInt(3) : 0;
    long cpu = r.nextInt(3) == 0 ? (1 + r.nextInt(2)) * 1_000_000_000L : 0;
    Service base = io.shoal.manager.Fx.service(id, spec("web-" + id, 3));
    TaskSpec t = base.spec().taskTemplate().withPlacement(new Placement(null, null, max, null))
        .withResources(new Resources(null, new Resources.Limits(cpu, null, null, null)));
    if (r.nextBoolean()) t = t.withPlacement(new Placement(List.of("node.labels.zone==a"), null, max, null));
    return io.shoal.manager.Fx.service(id, base.spec().withTaskTemplate(t));
  }

  /** The placement loop as it was before ranking: every node through the filters, for every task. */
  private static Map<String, String> reference(List<Task> pending, List<Node> nodes, List<Task> placed) {
    Map<String, NodeInfo> infos = new LinkedHashMap<>();
    List<Node> sorted = new ArrayList<>(nodes);
    sorted.sort(Comparator.comparing(Node::id));
    for (Node x : sorted) infos.put(x.id(), new NodeInfo(x));
    for (Task t : placed) {
      NodeInfo i = infos.get(t.nodeID());
      if (i != null) i.add(t);
    }
    List<Task> order = new ArrayList<>(pending);
    order.sort(Comparator.comparing(Task::serviceID).thenComparingLong(Task::slot).thenComparing(Task::id));
    Map<String, String> out = new HashMap<>();
    for (Task t : order) {
      List<Filter> filters = SchedulerCore.filtersFor(t);
      NodeInfo best = null;
      for (NodeInfo i : infos.values()) {
        if (!filters.stream().allMatch(f -> f.accepts(i, t))) continue;
        if (best == null || SchedulerCore.better(i, best, t.serviceID())) best = i;
      }
      if (best == null) {
        out.put(t.id(), "pending");
        continue;
      }
      best.add(t);
      out.put(t.id(), best.node.id());
    }
    return out;
  }

}
