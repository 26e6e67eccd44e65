package io.shoal.agent.exec;

import io.shoal.api.model.Node;
import io.shoal.api.model.Task;
import java.util.List;

/**
 * A way to run tasks on this node: Docker containers, host processes, or nothing at all (the
 * {@link HollowExecutor}). The agent owns one executor.
 *
 * <p>Threading: all methods are thread-safe. {@link #describe} and {@link #existing} block on the
 * runtime and are called from the agent's own thread at start and on (re)connection; {@link
 * #controller} is cheap and does no I/O.
 */
public interface Executor extends AutoCloseable {

  /** What this node offers: hostname, platform, resources, engine version. */
  Node.Description describe();

  /** A controller for {@code task}; it finds an existing container of the task if there is one. */
  TaskController controller(Task task, TaskDependencies deps);

  /**
   * The tasks this executor already runs or ran on this node (containers labelled with a task
   * id), so a restarted agent adopts them instead of starting duplicates.
   */
  List<ObservedTask> existing();

  /**
   * Removes the container of a task this node no longer has (found by {@link #existing} but in no
   * assignment): stopped at once, then removed.
   */
  java.util.concurrent.CompletableFuture<Void> removeOrphan(ObservedTask orphan);

  /**
   * This node's latest network view (overlay networks, endpoints, peers): an executor that plugs
   * containers into overlay networks builds them from it. Returns at once. Others ignore it.
   */
  default void onNetworkView(io.shoal.api.net.NodeNetworkView view) {}

  /** The node left the swarm: remove every overlay network this executor made (after its tasks). */
  default void leaveNetworks() {}

  /** Releases clients and threads; containers keep running. */
  @Override
  default void close() {}
}
