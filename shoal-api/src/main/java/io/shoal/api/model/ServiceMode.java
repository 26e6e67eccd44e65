package io.shoal.api.model;

/**
 * Exactly one of: {@code Replicated} (N tasks), {@code Global} (one per eligible node), {@code
 * ReplicatedJob} (run to completion N times), {@code GlobalJob} (run to completion once per node).
 */
// is-methods (isGlobal, isReadOnly...) are helpers, not JSON fields: Docker has no such keys.
@com.fasterxml.jackson.annotation.JsonAutoDetect(isGetterVisibility = com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility.NONE)
public record ServiceMode(Replicated replicated, Global global, ReplicatedJob replicatedJob, Global globalJob) {

  public static ServiceMode replicas(long n) {
    return new ServiceMode(new Replicated(n), null, null, null);
  }

  public static ServiceMode globalMode() {
    return new ServiceMode(null, new Global(), null, null);
  }

  public boolean isGlobal() {
    return global != null || globalJob != null;
  }

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
