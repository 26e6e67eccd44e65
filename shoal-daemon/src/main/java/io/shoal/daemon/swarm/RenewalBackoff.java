package io.shoal.daemon.swarm;

import java.time.Duration;

/**
 * How long a failed certificate renewal waits before the next try: 1 s doubling per failure up
 * to 2 minutes, spread by ±20 % so the workers of a swarm whose leader was away do not come back
 * to it in step. The cap is short against the shortest certificate life (1 h, renewed with at
 * least 12 min left): a node keeps trying many times before its certificate runs out. Pure.
 */
public final class RenewalBackoff {
  static final Duration BASE = Duration.ofSeconds(1);
  static final Duration MAX = Duration.ofMinutes(2);

  private RenewalBackoff() {}

  /**
   * @param failures consecutive failures so far, at least 1
   * @param spread a number in [0, 1) (the caller's random draw); 0.5 means no spread
   */
  public static Duration delay(int failures, double spread) {
    if (failures < 1) throw new IllegalArgumentException("failures must be at least 1, got " + failures);
    if (!(spread >= 0 && spread < 1)) throw new IllegalArgumentException("spread must be in [0, 1), got " + spread);
    long base = BASE.toMillis() << Math.min(failures - 1, 20);
    long capped = Math.min(base, MAX.toMillis());
    return Duration.ofMillis(Math.round(capped * (0.8 + 0.4 * spread)));
  }
}
