package io.shoal.daemon.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.model.Endpoint;
import io.shoal.api.model.Node;
import io.shoal.api.model.PortConfig;
import io.shoal.api.model.Service;
import io.shoal.api.model.ServiceMode;
import io.shoal.api.model.Task;
import io.shoal.api.model.TaskState;
import io.shoal.daemon.metrics.MetricsCoresTestAccess;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The console's view: what the page is sent, from one store read. */
class ClusterViewTest {
  @Test
  void servicesNodesAndTasksAsThePageNeedsThem() {
    Instant t0 = MetricsCoresTestAccess.T0;
    Service web = MetricsCoresTestAccess.service("s1", "web", ServiceMode.replicas(3));
    web = web.withEndpoint(new Endpoint(null, List.of(new PortConfig(null, "tcp", 80, 8080, "ingress")), null));
    Service agent = MetricsCoresTestAccess.service("s2", "agent", ServiceMode.globalMode());
    List<Node> nodes = List.of(MetricsCoresTestAccess.node("w1", "worker", Node.READY), MetricsCoresTestAccess.node("m1", "manager", Node.READY));
    List<Task> tasks = List.of(
        MetricsCoresTestAccess.task("t1", web, 1, "m1", TaskState.RUNNING, TaskState.RUNNING, null, t0),
        MetricsCoresTestAccess.task("t2", web, 2, "w1", TaskState.FAILED, TaskState.SHUTDOWN, "task: non-zero exit (1)", t0),
        MetricsCoresTestAccess.task("t3", web, 2, "w1", TaskState.STARTING, TaskState.RUNNING, null, t0));
    ClusterView v = ClusterView.of(42, t0, "m1", nodes, List.of(web, agent), tasks);
    assertThat(v.services()).extracting(ClusterView.ServiceView::name).containsExactly("agent", "web");
    ClusterView.ServiceView w = v.services().get(1);
    assertThat(w.mode()).isEqualTo("replicated");
    assertThat(w.desired()).isEqualTo(3);
    assertThat(w.running()).isEqualTo(1);
    assertThat(w.ports()).containsExactly("8080->80/tcp");
    assertThat(v.services().get(0).mode()).isEqualTo("global");
    assertThat(v.services().get(0).desired()).as("global: one per ready active node").isEqualTo(2);
    assertThat(v.nodes()).extracting(ClusterView.NodeView::id).as("managers first").containsExactly("m1", "w1");
    assertThat(v.nodes().get(0).leader()).isTrue();
    assertThat(v.nodes().get(0).cpus()).isEqualTo(2.0);
    assertThat(v.tasks()).hasSize(3);
    assertThat(v.tasks().stream().filter(t -> t.id().equals("t2")).findFirst().orElseThrow().err()).isEqualTo("task: non-zero exit (1)");
    assertThat(new String(io.shoal.api.json.Json.bytes(v))).contains("\"LeaderID\":\"m1\"").contains("\"ServiceID\":\"s1\"");
  }
}
