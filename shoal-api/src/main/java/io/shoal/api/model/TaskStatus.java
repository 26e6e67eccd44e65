package io.shoal.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * A task's observed state: written by the scheduler up to ASSIGNED, by the agent after.
 *
 * <p>{@code portStatus} holds what Docker shows as the task's PORTS: host-mode published ports.
 * {@code ingressBindings} is Shoal's own: where the routing mesh reaches the task's ingress target
 * ports on its node (a loopback-published host port per target port). Kept apart so {@code docker
 * service ps} shows exactly what Swarm would; the docker CLI ignores the extra field.
 */
public record TaskStatus(
    Instant timestamp,
    TaskState state,
    String message,
    String err,
    ContainerStatus containerStatus,
    PortStatus portStatus,
    List<PortConfig> ingressBindings) {

  public TaskStatus {
    ingressBindings = Labels.list(ingressBindings);
  }

  /** Docker's fields only; no mesh bindings. */
  public TaskStatus(Instant timestamp, TaskState state, String message, String err,
      ContainerStatus containerStatus, PortStatus portStatus) {
    this(timestamp, state, message, err, containerStatus, portStatus, null);
  }

  public static TaskStatus of(TaskState state, String message, Instant at) {
    return new TaskStatus(at, state, message, null, null, null, null);
  }

  public TaskStatus withErr(String e) {
    return new TaskStatus(timestamp, state, message, e, containerStatus, portStatus, ingressBindings);
  }

  public TaskStatus withContainer(ContainerStatus c) {
    return new TaskStatus(timestamp, state, message, err, c, portStatus, ingressBindings);
  }

  public TaskStatus withPorts(PortStatus p) {
    return new TaskStatus(timestamp, state, message, err, containerStatus, p, ingressBindings);
  }

  public TaskStatus withIngressBindings(List<PortConfig> b) {
    return new TaskStatus(timestamp, state, message, err, containerStatus, portStatus, b);
  }

  /** The same observation at a new state. */
  public TaskStatus moved(Instant at, TaskState to, String msg) {
    return new TaskStatus(at, to, msg, err, containerStatus, portStatus, ingressBindings);
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
