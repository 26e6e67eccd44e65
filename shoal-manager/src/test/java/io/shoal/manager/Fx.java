package io.shoal.manager;

import io.shoal.api.model.ContainerSpec;
import io.shoal.api.model.Node;
import io.shoal.api.model.Resources;
import io.shoal.api.model.RestartPolicy;
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
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;

/** Record fixtures shared by the manager's tests. */
public final class Fx {
  public static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private Fx() {}

  /** A clock tests move by hand. */
  public static final class MutableClock extends Clock {
    private volatile Instant now;

    public MutableClock(Instant start) {
      now = start;
    }

    public void advance(java.time.Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  public static TaskSpec taskSpec(String image) {
    return TaskSpec.of(ContainerSpec.ofImage(image));
  }

  public static ServiceSpec spec(String name, long replicas) {
    return new ServiceSpec(name, Map.of(), taskSpec("busybox"), ServiceMode.replicas(replicas), null, null, null, null);
  }

  public static ServiceSpec globalSpec(String name) {
    return new ServiceSpec(name, Map.of(), taskSpec("busybox"), ServiceMode.globalMode(), null, null, null, null);
  }

  public static Service service(String id, ServiceSpec spec) {
    return new Service(id, new Version(1), T0, T0, spec, null, null, null, null, null);
  }

  public static ServiceSpec withRestart(ServiceSpec s, String condition, Long delayNanos, Long maxAttempts, Long windowNanos) {
    return s.withTaskTemplate(s.taskTemplate().withRestartPolicy(new RestartPolicy(condition, delayNanos, maxAttempts, windowNanos)));
  }

  public static Node node(String id) {
    return node(id, Node.READY, Node.NodeSpec.ACTIVE);
  }

  public static Node node(String id, String state, String availability) {
    return new Node(id, new Version(1), T0, T0, new Node.NodeSpec(null, Map.of(), "worker", availability),
        new Node.Description("host-" + id, new Node.Platform("x86_64", "linux"),
            new Resources.Limits(4_000_000_000L, 8L << 30, null, null), null, null),
        new Node.Status(state, null, "127.0.0.1"), null);
  }

  public static Node withLabels(Node n, Map<String, String> labels) {
    return n.withSpec(new Node.NodeSpec(n.spec().name(), labels, n.spec().role(), n.spec().availability()));
  }

  /** A stored task of {@code s} in {@code slot} on {@code node}, created at {@code created}. */
  public static Task task(String id, Service s, long slot, String node, TaskState state, TaskState desired, Instant created) {
    return new Task(id, new Version(2), created, created, s.spec().name() + "." + slot, Map.of(), s.spec().taskTemplate(),
        s.id(), slot, node, TaskStatus.of(state, state.wire(), created), desired, s.version(), null, s.endpoint());
  }

  public static Task at(Task t, TaskState state, Instant when) {
    return t.withStatus(TaskStatus.of(state, state.wire(), when));
  }
}
