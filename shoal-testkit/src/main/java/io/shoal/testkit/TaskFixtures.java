package io.shoal.testkit;

import io.shoal.api.model.ContainerSpec;
import io.shoal.api.model.Task;
import io.shoal.api.model.TaskSpec;
import io.shoal.api.model.TaskState;
import io.shoal.api.model.TaskStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Task records for tests. */
public final class TaskFixtures {
  public static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private TaskFixtures() {}

  /** Task {@code id} of service {@code svc} (slot 1) on {@code node}, ASSIGNED. */
  public static Task task(String id, String node, ContainerSpec cs, TaskState desired) {
    return task(id, node, TaskSpec.of(cs), desired);
  }

  public static Task task(String id, String node, TaskSpec spec, TaskState desired) {
    return new Task(id, null, T0, T0, "svc.1", Map.of(), spec, "svc-id", 1, node,
        TaskStatus.of(TaskState.ASSIGNED, "assigned", T0), desired, null, null, null);
  }

  public static Task task(String id, String node) {
    return task(id, node, ContainerSpec.ofImage("busybox"), TaskState.RUNNING);
  }

  public static Task command(String id, String node, List<String> cmd) {
    return task(id, node, ContainerSpec.ofImage("busybox").withCommand(cmd, null), TaskState.RUNNING);
  }
}
