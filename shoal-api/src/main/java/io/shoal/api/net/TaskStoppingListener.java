package io.shoal.api.net;

import io.shoal.api.model.Task;

/**
 * Told by a node's agent that it is about to stop one of its tasks, before the container gets its
 * stop signal: the node's resolver and VIP backends drop the task first, so no new connection is
 * sent to a process that is shutting down. The manager's view says the same a little later.
 *
 * <p>Threading: called on the agent's threads, possibly concurrently for different tasks; must
 * return quickly and not throw (an exception is logged and the stop goes on).
 */
@FunctionalInterface
public interface TaskStoppingListener {
  void taskStopping(Task task);
}
