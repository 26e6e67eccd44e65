package io.shoal.agent.exec;

import io.shoal.api.model.HealthConfig;
import io.shoal.api.model.Task;
import java.time.Duration;

/** Reading the parts of a task's spec every executor needs the same way. */
public final class HealthChecks {
  /** Docker's default stop grace period. */
  public static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);

  private HealthChecks() {}

  /** True when the spec has a healthcheck that actually runs (not absent, not {@code NONE}). */
  public static boolean enabled(HealthConfig h) {
    return h != null && h.test() != null && !h.test().isEmpty() && !"NONE".equals(h.test().get(0));
  }

  public static boolean enabled(Task t) {
    return t.spec() != null && t.spec().containerSpec() != null
        && enabled(t.spec().containerSpec().healthCheck());
  }

  /** The spec's stop grace period (nanoseconds in the API), or Docker's 10 s. */
  public static Duration grace(Task t) {
    var cs = t.spec() == null ? null : t.spec().containerSpec();
    return cs == null || cs.stopGracePeriod() == null ? DEFAULT_GRACE : Duration.ofNanos(cs.stopGracePeriod());
  }
}
