package io.shoal.daemon.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shoal.api.model.ContainerSpec;
import io.shoal.api.model.Node;
import io.shoal.api.model.Resources;
import io.shoal.api.model.Service;
import io.shoal.api.model.ServiceMode;
import io.shoal.api.model.ServiceSpec;
import io.shoal.api.model.Task;
import io.shoal.api.model.TaskSpec;
import io.shoal.api.model.TaskState;
import io.shoal.api.model.TaskStatus;
import io.shoal.api.model.Version;
import io.shoal.store.StoreEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The pure parts of the metrics: counts behind the labelled gauges, and counters off store events. */
class MetricsCoresTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  static Service service(String id, String name, ServiceMode mode) {
    return new Service(id, new Version(1), T0, T0, new ServiceSpec(name, Map.of(), TaskSpec.of(ContainerSpec.ofImage("busybox")), mode,
        null, null, null, null), null, null, null, null, null);
  }

  static Node node(String id, String role, String state) {
    return new Node(id, new Version(1), T0, T0, new Node.NodeSpec(null, Map.of(), role, "active"),
        new Node.Description("host-" + id, null, new Resources.Limits(2_000_000_000L, 4L << 30, null, null), null, null),
        new Node.Status(state, null, "127.0.0.1"), null);
  }

  static Task task(String id, Service s, long slot, String node, TaskState state, TaskState desired, String err, Instant at) {
    return new Task(id, new Version(2), T0, T0, s.spec().name() + "." + slot, Map.of(), s.spec().taskTemplate(), s.id(), slot, node,
        TaskStatus.of(state, state.wire(), at).withErr(err), desired, s.version(), null, null);
  }

  @Test
  void countsByServiceStateAndReasonWithoutIds() {
    Service web = service("s1", "web", ServiceMode.replicas(3));
    Service agent = service("s2", "agent", ServiceMode.globalMode());
    List<Node> nodes = List.of(node("n1", "manager", Node.READY), node("n2", "worker", Node.READY), node("n3", "worker", Node.DOWN));
    List<Task> tasks = List.of(
        task("t1", web, 1, "n1", TaskState.RUNNING, TaskState.RUNNING, null, T0),
        task("t2", web, 2, "n2", TaskState.RUNNING, TaskState.RUNNING, null, T0),
        task("t3", web, 3, null, TaskState.PENDING, TaskState.RUNNING,
            "no suitable node (1 node not available for new tasks; insufficient resources on 2 nodes)", T0),
        task("t4", web, 3, "n3", TaskState.FAILED, TaskState.SHUTDOWN, "exit 1", T0),
        task("t5", agent, 0, null, TaskState.PENDING, TaskState.RUNNING, null, T0));
    NodeMetrics.Counts c = NodeMetrics.count(nodes, List.of(web, agent), tasks);
    assertThat(c.serviceTasks()).containsEntry(Tags.of("service", "web", "state", "running"), 2L)
        .containsEntry(Tags.of("service", "web", "state", "failed"), 1L).containsEntry(Tags.of("service", "agent", "state", "pending"), 1L);
    assertThat(c.desired()).containsEntry(Tags.of("service", "web"), 3L).containsEntry(Tags.of("service", "agent"), 2L);
    assertThat(c.pending()).containsEntry(Tags.of("reason", "node_unavailable"), 1L).containsEntry(Tags.of("reason", "unscheduled"), 1L);
    assertThat(c.nodes()).containsEntry(Tags.of("state", "ready", "role", "worker", "availability", "active"), 1L)
        .containsEntry(Tags.of("state", "down", "role", "worker", "availability", "active"), 1L);
  }

  @Test
  void pendingReasonsAreTheFirstFilterNamed() {
    Service web = service("s1", "web", ServiceMode.replicas(1));
    String[][] cases = {
        {"no suitable node (insufficient resources on 3 nodes)", "resources"},
        {"no suitable node (scheduling constraints not satisfied on 2 nodes; host-mode port already in use on 1 node)", "constraints"},
        {"no suitable node (host-mode port already in use on 1 node)", "host_port"},
        {"no suitable node (max replicas per node limit exceed)", "max_replicas"},
        {"no suitable node (no node in the swarm)", "no_nodes"},
        {"no suitable node (something new)", "other"}};
    for (String[] c : cases) {
      assertThat(NodeMetrics.pendingReason(task("t", web, 1, null, TaskState.PENDING, TaskState.RUNNING, c[0], T0))).as(c[0]).isEqualTo(c[1]);
    }
  }

  @Test
  void storeEventsCountPlacementsOnlyWhileLeading() {
    SimpleMeterRegistry r = new SimpleMeterRegistry();
    AtomicBoolean leading = new AtomicBoolean(true);
    StoreEventMetrics m = new StoreEventMetrics(r, leading::get);
    Service web = service("s1", "web", ServiceMode.replicas(1));
    Task pending = task("t1", web, 1, null, TaskState.PENDING, TaskState.RUNNING, null, T0);
    Task assigned = task("t1", web, 1, "n1", TaskState.ASSIGNED, TaskState.RUNNING, null, T0.plusMillis(250));
    m.accept(new StoreEvent.Created(pending));
    m.accept(new StoreEvent.Updated(pending, assigned));
    m.accept(new StoreEvent.Updated(assigned, assigned)); // no move: not counted again
    m.accept(new StoreEvent.Commit(7));
    Node up = node("n1", "worker", Node.READY);
    m.accept(new StoreEvent.Updated(up, node("n1", "worker", Node.DOWN)));
    assertThat(r.get("shoal.scheduler.placements").counter().count()).isEqualTo(1);
    assertThat(r.get("shoal.scheduler.placement.latency").timer().totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(250);
    assertThat(r.get("shoal.orchestrator.task.transitions").tag("state", "pending").counter().count()).isEqualTo(1);
    assertThat(r.get("shoal.store.commits").counter().count()).isEqualTo(1);
    assertThat(r.get("shoal.store.changes").tags("kind", "task", "op", "update").counter().count()).isEqualTo(2);
    assertThat(r.get("shoal.dispatcher.nodes.down").counter().count()).isEqualTo(1);

    leading.set(false); // a follower applies the same events: leader-only counters stay put
    m.accept(new StoreEvent.Updated(pending, assigned));
    m.accept(new StoreEvent.Commit(8));
    assertThat(r.get("shoal.scheduler.placements").counter().count()).isEqualTo(1);
    assertThat(r.get("shoal.store.commits").counter().count()).isEqualTo(2);
  }

  @Test
  void vipBackendsPerServiceFromTheNetworkView() {
    SimpleMeterRegistry r = new SimpleMeterRegistry();
    java.util.concurrent.atomic.AtomicReference<io.shoal.api.net.NodeNetworkView> view = new java.util.concurrent.atomic.AtomicReference<>();
    NetworkMetrics m = new NetworkMetrics(view::get);
    m.bindTo(r);
    m.refresh();
    assertThat(r.get("shoal.network.networks").gauge().value()).as("no view yet").isNaN();
    var net = new io.shoal.api.net.NodeNetworkView.NetworkInfo("n1", "front", "10.0.1.0/24", "10.0.1.1", 4097, 1450, false, false, false);
    var vip = new io.shoal.api.net.NodeNetworkView.ServiceInfo("s1", "web", "vip",
        List.of(new io.shoal.api.net.NodeNetworkView.Vip("n1", "10.0.1.2/24")), List.of());
    var rr = new io.shoal.api.net.NodeNetworkView.ServiceInfo("s2", "db", "dnsrr", List.of(), List.of());
    java.util.function.BiFunction<String, String, io.shoal.api.net.NodeNetworkView.EndpointInfo> ep = (task, svc) ->
        new io.shoal.api.net.NodeNetworkView.EndpointInfo("n1", task, svc + ".1", svc.equals("web") ? "s1" : "s2", svc, 1,
            "10.0.1.9/24", "02:42:0a:00:01:09", "node1", List.of());
    view.set(new io.shoal.api.net.NodeNetworkView(7, "node1", List.of(net),
        List.of(ep.apply("t1", "web"), ep.apply("t2", "web"), ep.apply("t3", "db")), List.of(vip, rr), List.of()));
    m.refresh();
    assertThat(r.get("shoal.network.networks").gauge().value()).isEqualTo(1);
    assertThat(r.get("shoal.network.view.version").gauge().value()).isEqualTo(7);
    assertThat(r.get("shoal.network.vip.backends").tag("service", "web").gauge().value()).isEqualTo(2);
    assertThat(r.find("shoal.network.vip.backends").tag("service", "db").gauge()).as("dnsrr has no VIP").isNull();
  }
}
