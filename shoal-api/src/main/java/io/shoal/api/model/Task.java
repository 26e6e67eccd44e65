package io.shoal.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One unit of work of a service, placed on one node. {@code spec} is copied from the service when
 * the task is made; {@code status} is written by the scheduler (up to ASSIGNED) and then only by the
 * agent; {@code desiredState} only by managers. {@code slot} is the replica number (replicated) and
 * 0 for global tasks, which are identified by {@code nodeID}. {@code specVersion} is the service's
 * version the task was made from, which the updater compares to find out-of-date tasks.
 */
public record Task(
    @JsonProperty("ID") String id,
    Version version,
    Instant createdAt,
    Instant updatedAt,
    String name,
    Map<String, String> labels,
    TaskSpec spec,
    @JsonProperty("ServiceID") String serviceID,
    long slot,
    @JsonProperty("NodeID") String nodeID,
    TaskStatus status,
    TaskState desiredState,
    Version specVersion,
    Version jobIteration,
    Endpoint endpoint,
    List<NetworkAttachment> networksAttachments) implements StoreObject {

  public Task {
    labels = Labels.copy(labels);
    networksAttachments = Labels.list(networksAttachments);
  }

  /** A task with no network attachments yet (the allocator adds them). */
  public Task(String id, Version version, Instant createdAt, Instant updatedAt, String name, Map<String, String> labels,
      TaskSpec spec, String serviceID, long slot, String nodeID, TaskStatus status, TaskState desiredState,
      Version specVersion, Version jobIteration, Endpoint endpoint) {
    this(id, version, createdAt, updatedAt, name, labels, spec, serviceID, slot, nodeID, status, desiredState,
        specVersion, jobIteration, endpoint, null);
  }

  public List<NetworkAttachment> attachmentsOrEmpty() {
    return Labels.orEmpty(networksAttachments);
  }

  public Task withNetworksAttachments(List<NetworkAttachment> a) {
    return new Task(id, version, createdAt, updatedAt, name, labels, spec, serviceID, slot, nodeID,
        status, desiredState, specVersion, jobIteration, endpoint, a);
  }

  public Task stamped(long index, Instant at) {
    return new Task(id, new Version(index), StoreObject.created(createdAt, at), at, name, labels, spec,
        serviceID, slot, nodeID, status, desiredState, specVersion, jobIteration, endpoint, networksAttachments);
  }

  public Kind kind() {
    return Kind.TASK;
  }

  public TaskState state() {
    return status == null ? TaskState.NEW : status.state();
  }

  public Task withStatus(TaskStatus s) {
    return new Task(id, version, createdAt, updatedAt, name, labels, spec, serviceID, slot, nodeID,
        s, desiredState, specVersion, jobIteration, endpoint, networksAttachments);
  }

  public Task withDesiredState(TaskState d) {
    return new Task(id, version, createdAt, updatedAt, name, labels, spec, serviceID, slot, nodeID,
        status, d, specVersion, jobIteration, endpoint, networksAttachments);
  }

  public Task withNode(String node) {
    return new Task(id, version, createdAt, updatedAt, name, labels, spec, serviceID, slot, node,
        status, desiredState, specVersion, jobIteration, endpoint, networksAttachments);
  }

  public Task withEndpoint(Endpoint e) {
    return new Task(id, version, createdAt, updatedAt, name, labels, spec, serviceID, slot, nodeID,
        status, desiredState, specVersion, jobIteration, e, networksAttachments);
  }
}
