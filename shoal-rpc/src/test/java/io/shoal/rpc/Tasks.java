package io.shoal.rpc;

import io.shoal.api.model.Task;
import io.shoal.api.model.TaskState;
import io.shoal.api.model.TaskStatus;
import java.time.Instant;
import java.util.Map;

/** Task records for tests. */
final class Tasks {
  private Tasks() {}

  static Task task(String id, String node) {
    return new Task(id, null, null, null, "web." + id, Map.of("l", "v"), null, "svc1", 1, node,
        TaskStatus.of(TaskState.ASSIGNED, "assigned", Instant.parse("2026-01-02T03:04:05Z")),
        TaskState.RUNNING, null, null, null);
  }
}
