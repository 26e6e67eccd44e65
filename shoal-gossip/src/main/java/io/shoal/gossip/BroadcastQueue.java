package io.shoal.gossip;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Updates waiting to be piggybacked, each sent a limited number of times ({@code retransmitMult x
 * ceil(log10(n + 1))}, which is enough for SWIM's infection-style spread to reach every member
 * with high probability). The least-sent go first, so a fresh update overtakes old ones; a newer
 * update about the same member or record replaces the queued one. Not thread-safe.
 */
final class BroadcastQueue {
  private static final class Item {
    final String key;
    final byte[] bytes;
    final long order;
    int transmits;

    Item(String key, byte[] bytes, long order) {
      this.key = key;
      this.bytes = bytes;
      this.order = order;
    }
  }

  private final TreeSet<Item> queue = new TreeSet<>(
      Comparator.<Item>comparingInt(i -> i.transmits).thenComparing(i -> -i.order));
  private final Map<String, Item> byKey = new HashMap<>();
  private long counter;

  void add(Update u) {
    Item old = byKey.remove(u.queueKey());
    if (old != null) queue.remove(old);
    Item item = new Item(u.queueKey(), Codec.encodeUpdate(u), counter++);
    byKey.put(item.key, item);
    queue.add(item);
  }

  int size() {
    return queue.size();
  }

  /** Takes encoded updates that fit {@code budget} bytes; counts each as transmitted once more. */
  List<byte[]> take(int budget, int limit) {
    List<byte[]> out = new ArrayList<>();
    if (queue.isEmpty() || budget <= 0) return out;
    List<Item> taken = new ArrayList<>();
    int used = 0;
    for (Item item : queue) {
      if (used + item.bytes.length > budget) {
        if (budget - used < 16) break;
        continue;
      }
      used += item.bytes.length;
      taken.add(item);
      out.add(item.bytes);
    }
    for (Item item : taken) {
      queue.remove(item);
      item.transmits++;
      if (item.transmits < limit) {
        queue.add(item);
      } else {
        byKey.remove(item.key);
      }
    }
    return out;
  }
}
