package io.shoal.gossip;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one member. Written by the member's thread, read from anywhere (the daemon's
 * metrics endpoint, benchmarks).
 */
public final class GossipMetrics {
  private final EnumMap<DropReason, LongAdder> dropped = new EnumMap<>(DropReason.class);
  public final LongAdder packetsSent = new LongAdder();
  public final LongAdder bytesSent = new LongAdder();
  public final LongAdder packetsReceived = new LongAdder();
  public final LongAdder bytesReceived = new LongAdder();
  public final LongAdder streamsSent = new LongAdder();
  /** Members this one marked suspect on its own probe. */
  public final LongAdder suspicionsRaised = new LongAdder();
  /** Times this member refuted a suspicion about itself. */
  public final LongAdder refutations = new LongAdder();

  public GossipMetrics() {
    for (DropReason r : DropReason.values()) dropped.put(r, new LongAdder());
  }

  public void drop(DropReason reason) {
    dropped.get(reason).increment();
  }

  public long dropped(DropReason reason) {
    return dropped.get(reason).sum();
  }

  public long droppedTotal() {
    long n = 0;
    for (LongAdder a : dropped.values()) n += a.sum();
    return n;
  }

  public Map<DropReason, Long> droppedByReason() {
    EnumMap<DropReason, Long> m = new EnumMap<>(DropReason.class);
    dropped.forEach((k, v) -> m.put(k, v.sum()));
    return m;
  }
}
