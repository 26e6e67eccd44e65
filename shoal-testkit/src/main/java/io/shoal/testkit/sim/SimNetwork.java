package io.shoal.testkit.sim;

import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;

/**
 * The simulated network between managers and agents: every message is delivered after a seeded
 * delay (so messages reorder), dropped with a small probability, and never delivered across a
 * partition or to a process that is down — checked both when sent and when it would arrive, so a
 * partition also cuts messages already in flight.
 *
 * <p>Partitions are groups: endpoints talk only within their group (group 0 unless set).
 */
public final class SimNetwork {
  private final Sim sim;
  private final Map<String, BiConsumer<String, Object>> endpoints = new TreeMap<>();
  private final TreeSet<String> down = new TreeSet<>();
  private final Map<String, Integer> groups = new TreeMap<>();
  private double dropRate = 0.01;
  private long minDelay = 1;
  private long maxDelay = 12;
  private long sent;
  private long dropped;

  public SimNetwork(Sim sim) {
    this.sim = sim;
  }

  /** Registers {@code name}; {@code handler} gets (from, message). */
  public void register(String name, BiConsumer<String, Object> handler) {
    endpoints.put(name, handler);
  }

  public void setUp(String name, boolean up) {
    if (up) down.remove(name);
    else down.add(name);
  }

  public void setDropRate(double p) {
    dropRate = p;
  }

  public double dropRate() {
    return dropRate;
  }

  /** Puts {@code name} in partition group {@code g}; 0 is the default group. */
  public void setGroup(String name, int g) {
    if (g == 0) groups.remove(name);
    else groups.put(name, g);
  }

  public int group(String name) {
    return groups.getOrDefault(name, 0);
  }

  /** Every endpoint back in one group. */
  public void heal() {
    groups.clear();
  }

  public boolean partitioned() {
    return !groups.isEmpty();
  }

  public boolean connected(String a, String b) {
    return !down.contains(a) && !down.contains(b) && group(a) == group(b);
  }

  public void send(String from, String to, Object message) {
    sent++;
    if (!connected(from, to) || sim.chance(dropRate)) {
      dropped++;
      return;
    }
    long delay = sim.between(minDelay, maxDelay);
    // now and then a slow packet, so replies overtake requests and stale messages arrive late
    if (sim.chance(0.01)) delay += sim.between(50, 400);
    String label = from + "->" + to + " " + message.getClass().getSimpleName();
    sim.after(delay, label, () -> {
      BiConsumer<String, Object> h = endpoints.get(to);
      if (h != null && connected(from, to)) h.accept(from, message);
    });
  }

  public long sent() {
    return sent;
  }

  public long dropped() {
    return dropped;
  }
}
