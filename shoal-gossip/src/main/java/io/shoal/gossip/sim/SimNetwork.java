package io.shoal.gossip.sim;

import io.shoal.gossip.GossipConfig;
import io.shoal.gossip.GossipNode;
import io.shoal.gossip.Keyring;
import io.shoal.gossip.Transport;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * A deterministic network of {@link GossipNode}s on one simulated clock: the real protocol code
 * (codec and AES-GCM sealing included) over a transport that loses, delays and partitions
 * packets as a seeded random says. Everything happens on the caller's thread in event order, so
 * a seed replays a run exactly. Used by the T2 tests and by {@code shoal bench gossip}.
 */
public final class SimNetwork {
  private final SplittableRandom random;
  private final SimClock clock = new SimClock();
  private final PriorityQueue<Event> events = new PriorityQueue<>();
  private final Map<String, SimMember> byAddress = new HashMap<>();
  private final List<SimMember> members = new ArrayList<>();
  private long eventSeq;
  private double loss;
  private long minDelay = 1;
  private long maxDelay = 5;
  private Map<String, Integer> partition = Map.of();
  private long bytesSent;
  private long packetsSent;

  /** One member and its simulated host. */
  public final class SimMember {
    public final String id;
    public final String address;
    public final GossipNode node;
    boolean up = true;
    long extraDelay;
    long tickToken;
    long scheduledAt = Long.MAX_VALUE;

    SimMember(String id, String address, GossipConfig config, Keyring keyring, long seed) {
      this.id = id;
      this.address = address;
      this.node = new GossipNode(config, id, address, keyring, new Transport() {
        @Override
        public void sendPacket(String to, byte[] packet) {
          send(SimMember.this, to, packet, false);
        }

        @Override
        public void sendStream(String to, byte[] stream) {
          send(SimMember.this, to, stream, true);
        }
      }, clock, new SplittableRandom(seed));
    }

    public boolean up() {
      return up;
    }
  }

  private record Event(long at, long seq, Runnable action) implements Comparable<Event> {
    public int compareTo(Event o) {
      return at != o.at ? Long.compare(at, o.at) : Long.compare(seq, o.seq);
    }
  }

  public SimNetwork(long seed) {
    this.random = new SplittableRandom(seed);
  }

  public SimMember add(String id, GossipConfig config, Keyring keyring) {
    SimMember m = new SimMember(id, "sim:" + id, config, keyring, random.nextLong());
    byAddress.put(m.address, m);
    members.add(m);
    reschedule(m);
    return m;
  }

  public List<SimMember> members() {
    return members;
  }

  public Clock clock() {
    return clock;
  }

  public long now() {
    return clock.millis();
  }

  public void setLoss(double loss) {
    this.loss = loss;
  }

  public void setDelay(long minMillis, long maxMillis) {
    this.minDelay = minMillis;
    this.maxDelay = maxMillis;
  }

  /** Members in different groups cannot reach each other; members not listed are in group 0. */
  public void partition(Map<String, Integer> groupOfMember) {
    this.partition = Map.copyOf(groupOfMember);
  }

  public void heal() {
    this.partition = Map.of();
  }

  public int groupOf(String id) {
    return partition.getOrDefault(id, 0);
  }

  public boolean canReach(SimMember a, SimMember b) {
    return a.up && b.up && groupOf(a.id) == groupOf(b.id);
  }

  /** Crash: the member neither sends nor receives nor ticks until {@link #restart}. */
  public void crash(SimMember m) {
    m.up = false;
  }

  /** Models a loaded host: everything it receives and every timer of it runs this much later. */
  public void slow(SimMember m, long extraMillis) {
    m.extraDelay = extraMillis;
  }

  public long bytesSent() {
    return bytesSent;
  }

  public long packetsSent() {
    return packetsSent;
  }

  /** Runs a caller's action on the simulated timeline (e.g. a publish at a given time). */
  public void at(long millis, Runnable action) {
    events.add(new Event(millis, eventSeq++, action));
  }

  /** Runs a member's action and lets its timers follow. */
  public void on(SimMember m, Consumer<GossipNode> action) {
    action.accept(m.node);
    reschedule(m);
  }

  /** Processes events until the clock reaches {@code millis}. */
  public void runUntil(long millis) {
    while (!events.isEmpty() && events.peek().at <= millis) {
      Event e = events.poll();
      clock.set(Math.max(clock.millis(), e.at));
      e.action.run();
    }
    clock.set(Math.max(clock.millis(), millis));
  }

  public void runFor(long millis) {
    runUntil(clock.millis() + millis);
  }

  private void send(SimMember from, String to, byte[] bytes, boolean stream) {
    if (!from.up) return;
    packetsSent++;
    bytesSent += bytes.length;
    SimMember target = byAddress.get(to);
    if (target == null || !canReach(from, target)) return;
    if (!stream && loss > 0 && random.nextDouble() < loss) return;
    long delay = minDelay + (maxDelay > minDelay ? random.nextLong(maxDelay - minDelay + 1) : 0) + target.extraDelay;
    events.add(new Event(clock.millis() + delay, eventSeq++, () -> {
      // a partition or crash that began while the packet was in flight also stops it
      if (!canReach(from, target) && from.up) return;
      if (!target.up) return;
      if (stream) target.node.receiveStream(bytes);
      else target.node.receivePacket(bytes);
      reschedule(target);
    }));
  }

  private void reschedule(SimMember m) {
    long d = Math.max(m.node.nextDeadline() + m.extraDelay, clock.millis() + 1);
    if (d == m.scheduledAt) return;
    long token = ++m.tickToken;
    m.scheduledAt = d;
    events.add(new Event(d, eventSeq++, () -> {
      if (m.tickToken != token) return;
      m.scheduledAt = Long.MAX_VALUE;
      if (m.up) m.node.tick();
      reschedule(m);
    }));
  }

  /** Brings a crashed member back (same state: a paused process rather than a fresh one). */
  public void restart(SimMember m) {
    m.up = true;
    reschedule(m);
  }

  static final class SimClock extends Clock {
    private long millis = 1_000_000;

    void set(long millis) {
      this.millis = millis;
    }

    @Override
    public long millis() {
      return millis;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
