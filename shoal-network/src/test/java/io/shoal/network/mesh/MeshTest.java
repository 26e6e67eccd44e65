package io.shoal.network.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.model.ContainerSpec;
import io.shoal.api.model.Endpoint;
import io.shoal.api.model.EndpointSpec;
import io.shoal.api.model.PortConfig;
import io.shoal.api.model.Service;
import io.shoal.api.model.ServiceMode;
import io.shoal.api.model.ServiceSpec;
import io.shoal.api.model.Task;
import io.shoal.api.model.TaskSpec;
import io.shoal.api.model.TaskState;
import io.shoal.api.model.TaskStatus;
import io.shoal.api.model.Version;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MeshTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static Service service(String id, int published, int target, String mode) {
    PortConfig p = new PortConfig(null, "tcp", target, published, mode);
    ServiceSpec spec = new ServiceSpec(id + "-name", Map.of(), TaskSpec.of(ContainerSpec.ofImage("img")),
        ServiceMode.replicas(2), null, null, null, new EndpointSpec("vip", List.of(p)));
    return new Service(id, new Version(1), T0, T0, spec, null, new Endpoint(spec.endpointSpec(), List.of(p), null), null, null, null);
  }

  private static Task task(String id, String service, String node, TaskState state, TaskState desired, Integer boundPort) {
    List<PortConfig> bindings = boundPort == null ? null : List.of(new PortConfig(null, "tcp", 80, boundPort, PortConfig.INGRESS));
    TaskStatus st = new TaskStatus(T0, state, "", null, null, null, bindings);
    return new Task(id, new Version(1), T0, T0, id, Map.of(), TaskSpec.of(ContainerSpec.ofImage("img")), service, 1, node, st, desired, null, null, null);
  }

  @Test
  void backendsAreRunningTasksBindingsOnReachableNodesAndHostModeIsNotMeshed() {
    Service web = service("s1", 8080, 80, PortConfig.INGRESS);
    Service host = service("s2", 9090, 80, PortConfig.HOST);
    List<Task> tasks = List.of(
        task("a", "s1", "n1", TaskState.RUNNING, TaskState.RUNNING, 32768),
        task("b", "s1", "n2", TaskState.RUNNING, TaskState.RUNNING, 32769),
        task("c", "s1", "n1", TaskState.STARTING, TaskState.RUNNING, 32770),
        task("d", "s1", "n1", TaskState.RUNNING, TaskState.SHUTDOWN, 32771),
        task("e", "s1", "gone", TaskState.RUNNING, TaskState.RUNNING, 32772));
    var table = MeshTable.compute(List.of(web, host), id -> id.equals("s1") ? tasks : List.of(),
        node -> node.equals("n1") ? "127.0.0.1" : node.equals("n2") ? "127.0.0.2" : null);
    assertThat(table).containsOnlyKeys(new MeshTable.PortKey(8080, "tcp"));
    assertThat(table.get(new MeshTable.PortKey(8080, "tcp")).backends()).containsExactly(
        InetSocketAddress.createUnresolved("127.0.0.1", 32768), InetSocketAddress.createUnresolved("127.0.0.2", 32769));
  }
}
