package io.shoal.executor.docker;

import io.shoal.api.model.Task;
import java.util.List;

/**
 * Where a task's container is plugged in: the engine networks of its overlay networks, each with
 * the address and MAC the allocator gave the task there, and this node's gateway on it (the
 * container's resolver). Empty: the engine's default network, as before overlay networks.
 */
@FunctionalInterface
public interface TaskNetworks {
  /**
   * The task's attachments, first = the container's primary network (default route, resolver).
   * May block until this node's data path has made the networks; throws
   * {@link io.shoal.agent.exec.ExecutorException} when they do not come.
   */
  List<Attachment> attachments(Task task);

  /** @param address plain IPv4; {@code mac} 02:42 + its bytes; {@code gateway} plain IPv4 */
  record Attachment(String networkId, String engineNetwork, String address, String mac, String gateway) {}

  TaskNetworks NONE = t -> List.of();
}
