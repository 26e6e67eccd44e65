package io.shoal.api.model;

import java.util.List;

/** A container health check; durations in nanoseconds, as Docker's API has them. */
public record HealthConfig(
    List<String> test, Long interval, Long timeout, Integer retries, Long startPeriod, Long startInterval) {
  public HealthConfig {
    test = Labels.list(test);
  }
}
