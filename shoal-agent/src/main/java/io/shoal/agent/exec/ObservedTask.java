package io.shoal.agent.exec;

import io.shoal.api.model.PortConfig;
import java.util.List;

/**
 * What the runtime says about one task's container or process right now.
 *
 * @param taskId the task it belongs to (from the container's labels)
 * @param containerId the runtime's id, null when nothing exists
 * @param state where the container is in its life
 * @param exitCode the exit code once {@link RuntimeState#EXITED}, else null
 * @param pid the main process id while running, else null
 * @param health the healthcheck's verdict, {@link Health#NONE} without a healthcheck
 * @param ports published ports as actually bound (host port in {@code publishedPort})
 */
public record ObservedTask(
    String taskId,
    String containerId,
    RuntimeState state,
    Integer exitCode,
    Integer pid,
    Health health,
    List<PortConfig> ports) {

  public ObservedTask {
    ports = ports == null ? List.of() : List.copyOf(ports);
    health = health == null ? Health.NONE : health;
  }

  public static ObservedTask absent(String taskId) {
    return new ObservedTask(taskId, null, RuntimeState.ABSENT, null, null, Health.NONE, List.of());
  }

  /** A container's life as the agent cares about it. */
  public enum RuntimeState {
    /** Nothing exists for this task. */
    ABSENT,
    /** Created (prepared) but never started. */
    CREATED,
    RUNNING,
    EXITED
  }

  /** A healthcheck's verdict. */
  public enum Health {
    NONE,
    STARTING,
    HEALTHY,
    UNHEALTHY
  }
}
