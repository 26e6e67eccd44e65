package io.shoal.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/** A task's observed state: written by the scheduler up to ASSIGNED, by the agent after. */
public record TaskStatus(
    Instant timestamp,
    TaskState state,
    String message,
    String err,
    ContainerStatus containerStatus,
    PortStatus portStatus) {

  public static TaskStatus of(TaskState state, String message, Instant at) {
    return new TaskStatus(at, state, message, null, null, null);
  }

  public TaskStatus withErr(String e) {
    return new TaskStatus(timestamp, state, message, e, containerStatus, portStatus);
  }

  public TaskStatus withContainer(ContainerStatus c) {
    return new TaskStatus(timestamp, state, message, err, c, portStatus);
  }

  public TaskStatus withPorts(PortStatus p) {
    return new TaskStatus(timestamp, state, message, err, containerStatus, p);
  }

  /** The container behind a task. */
  public record ContainerStatus(
      @JsonProperty("ContainerID") String containerID, @JsonProperty("PID") Integer pid, Integer exitCode) {}

  /** Ports the task's container published on its node (host mode, and the mesh's backends). */
  public record PortStatus(List<PortConfig> ports) {
    public PortStatus {
      ports = Labels.list(ports);
    }
  }
}
