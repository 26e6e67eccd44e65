package io.shoal.agent.worker;

import io.shoal.api.model.TaskStatus;

/** Where a task runner reports each new status. Must be thread-safe and must not block. */
@FunctionalInterface
public interface StatusSink {
  void report(String taskId, TaskStatus status);
}
