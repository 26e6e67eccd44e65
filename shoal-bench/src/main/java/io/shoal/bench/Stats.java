package io.shoal.bench;

import java.util.Arrays;

/** Percentiles of a set of samples (nearest rank). Not thread-safe: fill, then read. */
public final class Stats {
  private long[] samples = new long[1024];
  private int n;

  public void add(long v) {
    if (n == samples.length) samples = Arrays.copyOf(samples, n * 2);
    samples[n++] = v;
  }

  public synchronized void addSync(long v) {
    add(v);
  }

  public int count() {
    return n;
  }

  /** The p-th percentile (0 &lt; p ≤ 100), or 0 with no samples. */
  public long percentile(double p) {
    if (n == 0) return 0;
    long[] s = Arrays.copyOf(samples, n);
    Arrays.sort(s);
    int rank = (int) Math.ceil(p / 100.0 * n);
    return s[Math.max(0, Math.min(n - 1, rank - 1))];
  }

  public long max() {
    return percentile(100);
  }

  /** "p50 X ms, p99 Y ms" from nanosecond samples. */
  public String millis() {
    return String.format("p50 %.1f ms, p99 %.1f ms, max %.1f ms", percentile(50) / 1e6, percentile(99) / 1e6, max() / 1e6);
  }
}
