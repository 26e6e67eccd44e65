package io.shoal.daemon.metrics;

import java.time.Duration;

/**
 * Histogram buckets for latencies: a dozen fixed bounds from 1 ms to 10 s rather than Micrometer's
 * ~70 percentile buckets, so a timer labelled by route and status stays a few series, not hundreds.
 */
final class Buckets {
  static final Duration[] LATENCY = {
      Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
      Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
      Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

  private Buckets() {}
}
