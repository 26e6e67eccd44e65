package io.shoal.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * A service as the store keeps it and Docker's API shows it. {@code spec} is the user's; {@code
 * endpoint} the allocator's; {@code updateStatus} the update supervisor's; {@code serviceStatus} is
 * computed on read (never stored).
 */
public record Service(
    @JsonProperty("ID") String id,
    Version version,
    Instant createdAt,
    Instant updatedAt,
    ServiceSpec spec,
    ServiceSpec previousSpec,
    Endpoint endpoint,
    UpdateStatus updateStatus,
    ServiceStatus serviceStatus,
    JobStatus jobStatus) implements StoreObject {

  public Service stamped(long index, Instant at) {
    return new Service(id, new Version(index), StoreObject.created(createdAt, at), at, spec,
        previousSpec, endpoint, updateStatus, null, jobStatus);
  }

  public Kind kind() {
    return Kind.SERVICE;
  }

  public String uniqueName() {
    return spec.name();
  }

  public String name() {
    return spec.name();
  }

  public Service withSpec(ServiceSpec s, ServiceSpec previous) {
    return new Service(id, version, createdAt, updatedAt, s, previous, endpoint, updateStatus, serviceStatus, jobStatus);
  }

  public Service withEndpoint(Endpoint e) {
    return new Service(id, version, createdAt, updatedAt, spec, previousSpec, e, updateStatus, serviceStatus, jobStatus);
  }

  public Service withUpdateStatus(UpdateStatus u) {
    return new Service(id, version, createdAt, updatedAt, spec, previousSpec, endpoint, u, serviceStatus, jobStatus);
  }

  public Service withServiceStatus(ServiceStatus s) {
    return new Service(id, version, createdAt, updatedAt, spec, previousSpec, endpoint, updateStatus, s, jobStatus);
  }

  public Service withJobStatus(JobStatus j) {
    return new Service(id, version, createdAt, updatedAt, spec, previousSpec, endpoint, updateStatus, serviceStatus, j);
  }

  /**
   * A rolling update's progress. State: {@code updating}, {@code paused}, {@code completed},
   * {@code rollback_started}, {@code rollback_paused}, {@code rollback_completed}.
   */
  public record UpdateStatus(String state, Instant startedAt, Instant completedAt, String message) {}

  /** Running and desired task counts, as {@code GET /services?status=true} reports them. */
  public record ServiceStatus(long runningTasks, long desiredTasks, long completedTasks) {}

  /** A job's iteration: bumped on every job update so completed tasks of old runs are told apart. */
  public record JobStatus(Version jobIteration, Instant lastExecution) {}
}
