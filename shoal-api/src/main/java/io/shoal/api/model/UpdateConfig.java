package io.shoal.api.model;

/**
 * How a rolling update (or rollback) proceeds. Durations are nanoseconds. Swarm's defaults:
 * parallelism 1, delay 0, failure action pause, monitor 5 s, max failure ratio 0, stop-first.
 */
public record UpdateConfig(
    Long parallelism,
    Long delay,
    String failureAction,
    Long monitor,
    Double maxFailureRatio,
    String order) {
  public static final String PAUSE = "pause";
  public static final String CONTINUE = "continue";
  public static final String ROLLBACK = "rollback";
  public static final String STOP_FIRST = "stop-first";
  public static final String START_FIRST = "start-first";
  public static final long DEFAULT_MONITOR = 5_000_000_000L;
  public static final UpdateConfig DEFAULT = new UpdateConfig(1L, 0L, PAUSE, DEFAULT_MONITOR, 0.0, STOP_FIRST);

  /** 0 means all at once. */
  public long parallelismOrDefault() {
    return parallelism == null ? 1 : parallelism;
  }

  public long delayOrZero() {
    return delay == null ? 0 : delay;
  }

  public String failureActionOrDefault() {
    return failureAction == null || failureAction.isEmpty() ? PAUSE : failureAction;
  }

  public long monitorOrDefault() {
    return monitor == null || monitor == 0 ? DEFAULT_MONITOR : monitor;
  }

  public double maxFailureRatioOrZero() {
    return maxFailureRatio == null ? 0 : maxFailureRatio;
  }

  public String orderOrDefault() {
    return order == null || order.isEmpty() ? STOP_FIRST : order;
  }
}
