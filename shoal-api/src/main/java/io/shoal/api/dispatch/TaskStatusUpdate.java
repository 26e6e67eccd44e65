package io.shoal.api.dispatch;

import io.shoal.api.model.TaskStatus;

/** One task's new status, as the agent observed it. */
public record TaskStatusUpdate(String taskId, TaskStatus status) {}
