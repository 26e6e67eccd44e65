package io.shoal.daemon.metrics;

import io.shoal.api.model.Node;
import io.shoal.api.model.Service;
import io.shoal.api.model.ServiceMode;
import io.shoal.api.model.Task;
import io.shoal.api.model.TaskState;
import java.time.Instant;

/** Record fixtures of {@link MetricsCoresTest}, shared with the console's tests. */
public final class MetricsCoresTestAccess {
  public static final Instant T0 = MetricsCoresTest.T0;

  private MetricsCoresTestAccess() {}

  public static Service service(String id, String name, ServiceMode mode) {
    return MetricsCoresTest.service(id, name, mode);
  }

  public static Node node(String id, String role, String state) {
    return MetricsCoresTest.node(id, role, state);
  }

  public static Task task(String id, Service s, long slot, String node, TaskState state, TaskState desired, String err, Instant at) {
    return MetricsCoresTest.task(id, s, slot, node, state, desired, err, at);
  }
}
