package io.shoal.store;

import static io.shoal.store.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.model.ContainerSpec;
import io.shoal.api.model.Endpoint;
import io.shoal.api.model.EndpointSpec;
import io.shoal.api.model.HealthConfig;
import io.shoal.api.model.Mount;
import io.shoal.api.model.Placement;
import io.shoal.api.model.PortConfig;
import io.shoal.api.model.Resources;
import io.shoal.api.model.RestartPolicy;
import io.shoal.api.model.Service;
import io.shoal.api.model.ServiceMode;
import io.shoal.api.model.StoreObject;
import io.shoal.api.model.Task;
import io.shoal.api.model.TaskSpec;
import io.shoal.api.model.TaskState;
import io.shoal.api.model.TaskStatus;
import io.shoal.api.model.UpdateConfig;
import io.shoal.api.model.Version;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CodecTest {

  static Service richService() {
    ContainerSpec c = ContainerSpec.ofImage("busybox:1").withCommand(List.of("httpd"), List.of("-f"))
        .withEnv(List.of("A=1")).withStop("SIGTERM", 10_000_000_000L)
        .withHealthCheck(new HealthConfig(List.of("CMD", "true"), 1L, 2L, 3, 4L, 5L))
        .withMounts(List.of(new Mount("/data", "vol", "volume", true, null, null,
            new Mount.VolumeOptions(true, Map.of("l", "v"), null, null), null, null)));
    TaskSpec ts = TaskSpec.of(c).withRestartPolicy(new RestartPolicy("on-failure", 1L, 3L, 60L))
        .withPlacement(new Placement(List.of("node.role==worker"), List.of(new Placement.Preference(new Placement.Spread("node.labels.zone"))), 2L, null))
        .withResources(new Resources(new Resources.Limits(1_000_000_000L, 64L << 20, null, null), null));
    var spec = spec("web").withTaskTemplate(ts).withMode(ServiceMode.globalMode())
        .withUpdateConfig(new UpdateConfig(2L, 1L, "rollback", 3L, 0.5, "start-first"))
        .withEndpointSpec(new EndpointSpec("vip", List.of(new PortConfig(null, "tcp", 80, 8080, "ingress"))));
    return new Service("s1", new Version(7), Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-01T00:00:01Z"),
        spec, spec("web"), new Endpoint(spec.endpointSpec(), List.of(new PortConfig(null, "tcp", 80, 8080, "ingress")),
            List.of(new Endpoint.VirtualIP("net1", "10.0.0.2/24"))),
        new Service.UpdateStatus("updating", T0, null, "update in progress"), null,
        new Service.JobStatus(new Version(3), T0));
  }

  static Task richTask() {
    Task t = task("t1", "s1", 3, "n1").withDesiredState(TaskState.SHUTDOWN)
        .withStatus(new TaskStatus(T0, TaskState.FAILED, "exit", "exit code 1",
            new TaskStatus.ContainerStatus("abc", 42, 1), new TaskStatus.PortStatus(List.of(new PortConfig(null, "tcp", 80, 30000, "host")))));
    return t.stamped(9, T0);
  }

  @Test
  void proposalRoundTripForEveryKind() {
    List<StoreObject> objects = List.of(node("n1").stamped(1, T0), richService(), richTask(), network("net1", "ingress").stamped(2, T0),
        secret("sec1", "pw").stamped(3, T0), config("cfg1", "c").stamped(4, T0), cluster("c1").stamped(5, T0),
        service("s2", "replicated"), new Service("s3", Version.ZERO, null, null,
            spec("job").withMode(new ServiceMode(null, null, new ServiceMode.ReplicatedJob(2L, 5L), null)), null, null, null, null, null));
    assertThat(objects.stream().map(StoreObject::kind).distinct()).hasSize(StoreObject.Kind.values().length);
    List<StoreAction> actions = new ArrayList<>();
    for (StoreObject o : objects) {
      actions.add(StoreAction.create(o));
      actions.add(StoreAction.update(o));
    }
    actions.add(new StoreAction(StoreAction.Op.DELETE, StoreObject.Kind.TASK, "t9", 12, null));
    Proposal p = new Proposal(Instant.parse("2026-02-03T04:05:06.123456789Z"), actions);
    Proposal back = Codec.decode(Codec.encode(p));
    assertThat(back).isEqualTo(p);
    // and the mode survives exactly: a replicated service must not read back as global
    Service s2 = (Service) back.actions().get(14).object();
    assertThat(s2.spec().modeOrDefault().isGlobal()).isFalse();
    assertThat(s2.spec().modeOrDefault().replicaCount()).isEqualTo(2);
  }

  @Test
  void entriesWrittenAsATreeReadBackTheSameWhateverTheFieldOrder() throws Exception {
    // what the tree-building encoder wrote, with the object ahead of its kind and an unknown field
    var m = io.shoal.api.json.Json.lenient();
    var root = m.createObjectNode();
    root.put("Future", 1);
    var acts = root.putArray("Actions");
    var a = acts.addObject();
    a.set("Object", m.valueToTree(richTask()));
    a.put("Op", "UPDATE");
    a.put("Kind", "TASK");
    a.put("Id", "t1");
    a.put("Expected", 9);
    a.putObject("Extra").put("x", 1);
    root.put("At", "2026-02-03T04:05:06Z");
    Proposal back = Codec.decode(m.writeValueAsBytes(root));
    assertThat(back).isEqualTo(new Proposal(Instant.parse("2026-02-03T04:05:06Z"),
        List.of(new StoreAction(StoreAction.Op.UPDATE, StoreObject.Kind.TASK, "t1", 9, richTask()))));
  }
}
