package io.shoal.store;

import io.shoal.api.model.Cluster;
import io.shoal.api.model.Config;
import io.shoal.api.model.ContainerSpec;
import io.shoal.api.model.Network;
import io.shoal.api.model.Node;
import io.shoal.api.model.Secret;
import io.shoal.api.model.Service;
import io.shoal.api.model.ServiceMode;
import io.shoal.api.model.ServiceSpec;
import io.shoal.api.model.Task;
import io.shoal.api.model.TaskSpec;
import io.shoal.api.model.TaskState;
import io.shoal.api.model.TaskStatus;
import io.shoal.api.model.Version;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

/** Record fixtures for store tests. */
final class Fixtures {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private Fixtures() {}

  static MemoryStore store() {
    MemoryStore s = new MemoryStore(Clock.fixed(T0, ZoneOffset.UTC));
    s.setProposer(new LocalProposer(s));
    return s;
  }

  static ServiceSpec spec(String name) {
    return new ServiceSpec(name, Map.of("a", "b"), TaskSpec.of(ContainerSpec.ofImage("busybox")),
        ServiceMode.replicas(2), null, null, null, null);
  }

  static Service service(String id, String name) {
    return new Service(id, Version.ZERO, null, null, spec(name), null, null, null, null, null);
  }

  static Task task(String id, String service, long slot, String node) {
    return new Task(id, Version.ZERO, null, null, "svc." + slot, Map.of(), TaskSpec.of(ContainerSpec.ofImage("busybox")),
        service, slot, node, TaskStatus.of(TaskState.NEW, "created", T0), TaskState.RUNNING, new Version(1), null, null);
  }

  static Node node(String id) {
    return new Node(id, Version.ZERO, null, null, new Node.NodeSpec(null, Map.of("zone", "a"), "worker", "active"),
        new Node.Description("host-" + id, new Node.Platform("x86_64", "linux"), null, null, null),
        new Node.Status(Node.READY, null, "10.0.0.1"), null);
  }

  static Network network(String id, String name) {
    return new Network(id, Version.ZERO, null, null,
        new Network.NetworkSpec(name, "overlay", "swarm", false, true, false, null, false, Map.of(), Map.of()));
  }

  static Secret secret(String id, String name) {
    return new Secret(id, Version.ZERO, null, null, new Secret.Spec(name, Map.of(), "c2VjcmV0", null, null));
  }

  static Config config(String id, String name) {
    return new Config(id, Version.ZERO, null, null, new Secret.Spec(name, Map.of(), "Y29uZmln", null, null));
  }

  static Cluster cluster(String id) {
    return new Cluster(id, Version.ZERO, null, null, Cluster.SwarmSpec.defaults(), null, false, 4789,
        null, 24, new Cluster.JoinTokens("SWMTKN-1-w", "SWMTKN-1-m"), new Cluster.RootCA("cert", "key", "hash"));
  }
}
