package io.shoal.gossip;

import java.util.HashSet;
import java.util.Set;

/**
 * Lifeguard's suspicion timer: it starts at {@code max} and shrinks towards {@code min} as other
 * members independently confirm the suspicion, {@code timeout = max(min, max - (max - min) x
 * log(c + 1) / log(k + 1))} for c confirmations of the k expected. A lone slow accuser thus
 * gives the suspect the long timeout to refute, while a real failure seen by many is confirmed
 * at the short one.
 */
final class Suspicion {
  private final long start;
  private final long min;
  private final long max;
  private final int expected;
  private final Set<String> confirmers = new HashSet<>();
  private long deadline;
  final String accuser;

  Suspicion(String accuser, long start, long min, long max, int expected) {
    this.accuser = accuser;
    this.start = start;
    this.min = min;
    this.max = max;
    this.expected = expected;
    confirmers.add(accuser);
    this.deadline = start + (expected < 1 ? min : max);
  }

  /** Counts a confirmation from {@code from}; true when it was a new, independent one. */
  boolean confirm(String from) {
    if (confirmers.size() - 1 >= expected || !confirmers.add(from)) return false;
    int c = confirmers.size() - 1;
    double frac = Math.log(c + 1.0) / Math.log(expected + 1.0);
    long timeout = Math.max(min, (long) (max - (max - min) * frac));
    deadline = start + timeout;
    return true;
  }

  long deadline() {
    return deadline;
  }
}
