package io.shoal.api.dispatch;

import io.shoal.api.model.Task;
import java.util.function.Consumer;

/**
 * Reads a task's logs where the task runs. The agent implements it; a manager reaches the right
 * node's agent through it. {@link #stream} returns a handle that stops a followed stream.
 */
public interface TaskLogs {
  AutoCloseable stream(Task task, LogRequest request, Consumer<LogLine> sink, Runnable onEnd);
}
