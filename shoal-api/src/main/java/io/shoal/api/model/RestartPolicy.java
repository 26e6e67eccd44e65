package io.shoal.api.model;

/**
 * When a task that stopped is replaced. {@code condition} is {@code none}, {@code on-failure} or
 * {@code any}; {@code delay} and {@code window} are nanoseconds; {@code maxAttempts} 0 is unlimited.
 */
public record RestartPolicy(String condition, Long delay, Long maxAttempts, Long window) {
  public static final String NONE = "none";
  public static final String ON_FAILURE = "on-failure";
  public static final String ANY = "any";
  /** Swarm's default restart delay: 5 s. */
  public static final long DEFAULT_DELAY = 5_000_000_000L;

  public String conditionOrDefault() {
    return condition == null || condition.isEmpty() ? ANY : condition;
  }

  public long delayOrDefault() {
    return delay == null ? DEFAULT_DELAY : delay;
  }

  public long maxAttemptsOrZero() {
    return maxAttempts == null ? 0 : maxAttempts;
  }

  public long windowOrZero() {
    return window == null ? 0 : window;
  }
}
