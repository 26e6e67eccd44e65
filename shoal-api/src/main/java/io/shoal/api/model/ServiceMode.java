package io.shoal.api.model;

/**
 * Exactly one of: {@code Replicated} (N tasks), {@code Global} (one per eligible node), {@code
 * ReplicatedJob} (run to completion N times), {@code GlobalJob} (run to completion once per node).
 */
public record ServiceMode(Replicated replicated, @com.fasterxml.jackson.annotation.JsonProperty("Global") Global global, ReplicatedJob replicatedJob, Global globalJob) {

  public static ServiceMode replicas(long n) {
    return new ServiceMode(new Replicated(n), null, null, null);
  }

  public static ServiceMode globalMode() {
    return new ServiceMode(null, new Global(), null, null);
  }

  // Not a JSON property: Jackson would emit it as "Global" and clash with Docker's field.
  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean isGlobal() {
    return global != null || globalJob != null;
  }

  // Not a JSON property: Jackson would emit an extra "Job" field that Docker does not have.
  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean isJob() {
    return replicatedJob != null || globalJob != null;
  }

  /** Desired replicas for replicated services (0 for global). */
  public long replicaCount() {
    if (replicated != null) return replicated.replicas == null ? 1 : replicated.replicas;
    return 0;
  }

  /** How many modes are set; a valid spec has exactly one (or none, meaning replicated 1). */
  public int modesSet() {
    return (replicated != null ? 1 : 0) + (global != null ? 1 : 0)
        + (replicatedJob != null ? 1 : 0) + (globalJob != null ? 1 : 0);
  }

  public record Replicated(Long replicas) {}

  public record Global() {}

  public record ReplicatedJob(Long maxConcurrent, Long totalCompletions) {
    public long maxConcurrentOrDefault() {
      return maxConcurrent == null || maxConcurrent == 0 ? 1 : maxConcurrent;
    }

    public long totalCompletionsOrDefault() {
      return totalCompletions == null || totalCompletions == 0 ? maxConcurrentOrDefault() : totalCompletions;
    }
  }
}
