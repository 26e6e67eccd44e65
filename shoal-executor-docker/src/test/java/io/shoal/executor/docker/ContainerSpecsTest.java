package io.shoal.executor.docker;

import static io.shoal.testkit.TaskFixtures.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.core.command.CreateContainerCmdImpl;
import io.shoal.agent.exec.ExecutorException;
import io.shoal.api.model.ContainerSpec;
import io.shoal.api.model.Endpoint;
import io.shoal.api.model.Mount;
import io.shoal.api.model.PortConfig;
import io.shoal.api.model.Resources;
import io.shoal.api.model.Task;
import io.shoal.api.model.TaskSpec;
import io.shoal.api.model.TaskState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** T1: the spec → create-request mapping, no engine needed. */
class ContainerSpecsTest {
  private static CreateContainerCmdImpl map(Task t) {
    CreateContainerCmdImpl cmd = new CreateContainerCmdImpl(c -> {
      throw new AssertionError("no engine in T1");
    }, null, t.spec().containerSpec().image());
    ContainerSpecs.apply(cmd, t, List.of());
    return cmd;
  }

  @Test
  void commandIsEntrypointArgsAreCmdAndSwarmLabelsWin() {
    ContainerSpec cs = new ContainerSpec("img:1", Map.of("app", "web", "com.docker.swarm.task.id", "forged"),
        List.of("httpd"), List.of("-f", "-p", "80"), "h1", List.of("A=1"), "/www", "nobody", null, null,
        null, null, true, null, "SIGINT", 3_000_000_000L, null, List.of("10.0.0.1 db cache"), null, null,
        null, null, null, true, Map.of("net.ipv4.ip_forward", "1"), List.of("CAP_NET_ADMIN"), List.of("MKNOD"),
        List.of(new ContainerSpec.Ulimit("nofile", 1024L, 2048L)));
    Task t = task("tid", "node1", cs, TaskState.RUNNING);
    CreateContainerCmdImpl cmd = map(t);
    assertThat(cmd.getName()).isEqualTo("svc.1.tid");
    assertThat(cmd.getEntrypoint()).containsExactly("httpd");
    assertThat(cmd.getCmd()).containsExactly("-f", "-p", "80");
    assertThat(cmd.getLabels()).containsEntry("app", "web").containsEntry("com.docker.swarm.task.id", "tid")
        .containsEntry("com.docker.swarm.node.id", "node1").containsEntry("com.docker.swarm.service.name", "svc");
    assertThat(cmd.getStopTimeout()).isEqualTo(3);
    var hc = cmd.getHostConfig();
    assertThat(hc.getExtraHosts()).containsExactly("db:10.0.0.1", "cache:10.0.0.1");
    assertThat(hc.getReadonlyRootfs()).isTrue();
    assertThat(hc.getInit()).isTrue();
    assertThat(hc.getCapAdd()).extracting(Enum::name).containsExactly("NET_ADMIN");
    assertThat(hc.getUlimits()).extracting(u -> u.getName()).containsExactly("nofile");
  }

  @Test
  void mountsResourcesAndPorts() {
    ContainerSpec cs = ContainerSpec.ofImage("img:1").withMounts(List.of(
        new Mount("/data", "/srv/data", "bind", true, null, null, null, null, null),
        new Mount("/vol", "myvol", "volume", false, null, null, null, null, null),
        new Mount("/scratch", null, "tmpfs", false, null, null, null,
            new Mount.TmpfsOptions(1L << 20, 0700, null), null)));
    Task t = task("tid", "node1", TaskSpec.of(cs).withResources(
        new Resources(new Resources.Limits(500_000_000L, 64L << 20, 100L, null), null)), TaskState.RUNNING)
        .withEndpoint(new Endpoint(null, List.of(
            new PortConfig(null, "tcp", 80, 8080, PortConfig.INGRESS),
            new PortConfig(null, "udp", 53, 5353, PortConfig.HOST)), null));
    var hc = map(t).getHostConfig();
    assertThat(hc.getMounts()).extracting(m -> m.getType()).containsExactly(MountType.BIND, MountType.VOLUME, MountType.TMPFS);
    assertThat(hc.getMounts().get(0).getReadOnly()).isTrue();
    assertThat(hc.getNanoCPUs()).isEqualTo(500_000_000L);
    assertThat(hc.getMemory()).isEqualTo(64L << 20);
    assertThat(hc.getPidsLimit()).isEqualTo(100L);
    var bindings = hc.getPortBindings().getBindings();
    assertThat(bindings).hasSize(2);
    bindings.forEach((port, bs) -> {
      if (port.getPort() == 80) {
        assertThat(bs[0].getHostIp()).isEqualTo("127.0.0.1");
        assertThat(bs[0].getHostPortSpec()).isNull();
      } else {
        assertThat(bs[0].getHostPortSpec()).isEqualTo("5353");
      }
    });
  }

  @Test
  void badInputIsRejectedNotThrownAsSomethingElse() {
    ContainerSpec cs = ContainerSpec.ofImage("img:1").withMounts(List.of(
        new Mount("/x", "y", "npipe", false, null, null, null, null, null)));
    assertThatThrownBy(() -> map(task("tid", "n", cs, TaskState.RUNNING)))
        .isInstanceOf(ExecutorException.Rejected.class).hasMessage("invalid mount type: npipe");
  }

  @Test
  void engineMessagesAreUnwrapped() {
    var e = new NotFoundException("Status 404: {\"message\":\"No such image: nope:1\"}\n");
    assertThat(EngineErrors.message(e)).isEqualTo("No such image: nope:1");
    assertThat(EngineErrors.map(e, ExecutorException.Failed::new)).isInstanceOf(ExecutorException.NotFound.class);
    assertThat(EngineErrors.map(new RuntimeException(new java.io.IOException("connection refused")),
        ExecutorException.Failed::new)).isInstanceOf(ExecutorException.Unavailable.class);
  }

  @Test
  void logDriverOptionsAndNoNewPrivilegesReachTheContainer() {
    ContainerSpec cs = io.shoal.api.json.Json.read(
        "{\"Image\":\"img:1\",\"Privileges\":{\"NoNewPrivileges\":true}}".getBytes(), ContainerSpec.class);
    Task base = task("tid", "node1", cs, TaskState.RUNNING);
    io.shoal.api.model.TaskSpec spec = io.shoal.api.json.Json.read(("{\"ContainerSpec\":{\"Image\":\"img:1\",\"Privileges\":{\"NoNewPrivileges\":true}},"
        + "\"LogDriver\":{\"Name\":\"json-file\",\"Options\":{\"max-size\":\"1m\"}}}").getBytes(), io.shoal.api.model.TaskSpec.class);
    Task t = new Task(base.id(), base.version(), base.createdAt(), base.updatedAt(), base.name(), base.labels(), spec,
        base.serviceID(), base.slot(), base.nodeID(), base.status(), base.desiredState(), base.specVersion(), base.jobIteration(), base.endpoint());
    var hc = map(t).getHostConfig();
    assertThat(hc.getLogConfig().getType().getType()).isEqualTo("json-file");
    assertThat(hc.getLogConfig().getConfig()).containsEntry("max-size", "1m");
    assertThat(hc.getSecurityOpts()).containsExactly("no-new-privileges=true");
  }
}
