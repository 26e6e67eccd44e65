package io.shoal.gossip;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.random.RandomGenerator;

/**
 * One member of the gossip cluster: SWIM failure detection with Lifeguard's refinements plus
 * record dissemination, as a pure state machine. It never reads the wall clock, never sleeps and
 * owns no thread: the shell (a {@code GossipService}, or a simulation) calls {@link #tick} at
 * {@link #nextDeadline} and hands it every packet and stream; it answers through the
 * {@link Transport}. Not thread-safe: one thread drives it.
 *
 * <p>Per probe interval (scaled by local health) it pings one member in shuffled round-robin
 * order; without an ack within the probe timeout it asks {@code indirectChecks} members to ping
 * it (they answer with a nack if they hear nothing, so a member whose own packets are late learns
 * it is the slow one); without any ack by the end of the interval it suspects the member. A
 * suspicion becomes a confirmed death after {@link Suspicion}'s timeout unless the member
 * refutes it with a higher incarnation. Every change is piggybacked on pings and acks and sent to
 * {@code gossipFanout} random members per gossip interval; a full-state push-pull with a random
 * member (and now and then with a member believed dead, which heals partitions) is the
 * anti-entropy.
 */
public final class GossipNode {
  private final GossipConfig config;
  private final String self;
  private final String selfAddress;
  private final Clock clock;
  private final RandomGenerator random;
  private final Transport transport;
  private final GossipMetrics metrics;
  private final PacketSealer sealer;
  private final List<GossipListener> listeners = new CopyOnWriteArrayList<>();

  private long incarnation;
  private int localHealth;
  /** Members not gone, self included: kept up to date on every transition (read on every send). */
  private int alive = 1;
  private long nextSeq = 1;
  private long lastRecordVersion;
  private boolean left;

  private final Map<String, Member> members = new HashMap<>();
  private final List<String> memberIds = new ArrayList<>();
  private final List<String> probeOrder = new ArrayList<>();
  private int probeIndex;
  private final Map<String, Suspicion> suspicions = new HashMap<>();
  private final BroadcastQueue broadcasts = new BroadcastQueue();
  private final RecordTable records = new RecordTable();
  private final Map<Long, Relay> relays = new HashMap<>();
  private final List<String> seeds = new ArrayList<>();
  private Probe probe;

  private long nextProbeAt;
  private long nextGossipAt;
  private long nextPushPullAt;
  private long nextReconnectAt;
  private long nextReapAt;

  private static final class Member {
    final String id;
    String address;
    long incarnation;
    MemberState state = MemberState.ALIVE;
    long since;

    Member(String id, String address, long incarnation, long since) {
      this.id = id;
      this.address = address;
      this.incarnation = incarnation;
      this.since = since;
    }

    MemberInfo info() {
      return new MemberInfo(id, address, incarnation, state, since);
    }
  }

  private static final class Probe {
    final Member target;
    final long seq;
    final long timeoutAt;
    final long endAt;
    boolean acked;
    boolean indirectSent;
    int expectedNacks;
    int nacks;

    Probe(Member target, long seq, long timeoutAt, long endAt) {
      this.target = target;
      this.seq = seq;
      this.timeoutAt = timeoutAt;
      this.endAt = endAt;
    }
  }

  /** A ping this member sends on behalf of another's PingReq. */
  private record Relay(String requesterAddress, long requesterSeq, long nackAt) {}

  public GossipNode(GossipConfig config, String self, String selfAddress, Keyring keyring, Transport transport,
      Clock clock, RandomGenerator random) {
    this.config = config;
    this.self = self;
    this.selfAddress = selfAddress;
    this.clock = clock;
    this.random = random;
    this.transport = transport;
    this.metrics = new GossipMetrics();
    this.sealer = new PacketSealer(self, keyring, clock::millis, metrics);
    long now = clock.millis();
    this.incarnation = 0;
    Member me = new Member(self, selfAddress, incarnation, now);
    members.put(self, me);
    memberIds.add(self);
    // spread the members' timers so a cluster started at once does not probe in lock step
    nextProbeAt = now + random.nextLong(config.probeInterval().toMillis());
    nextGossipAt = now + random.nextLong(config.gossipInterval().toMillis());
    nextPushPullAt = now + config.pushPullInterval().toMillis() / 2
        + random.nextLong(config.pushPullInterval().toMillis() / 2 + 1);
    nextReconnectAt = now + config.reconnectInterval().toMillis();
    nextReapAt = now + 1000;
  }

  // ---- public surface --------------------------------------------------------------------

  public String id() {
    return self;
  }

  public GossipMetrics metrics() {
    return metrics;
  }

  public void addListener(GossipListener listener) {
    listeners.add(listener);
  }

  public void setKeyring(Keyring keyring) {
    sealer.setKeyring(keyring);
    for (String removed : keyring.removedNodes()) {
      Member m = members.get(removed);
      if (m != null && !m.state.gone()) markGone(m, m.incarnation, MemberState.DEAD);
      sealer.forget(removed);
    }
  }

  /** Contacts the given addresses with a full-state push-pull; they are retried while alone. */
  public void join(List<String> seedAddresses) {
    seeds.clear();
    for (String s : seedAddresses) if (!s.equals(selfAddress)) seeds.add(s);
    for (String s : seeds) pushPull(s);
  }

  /**
   * Adds a member learned elsewhere (the managers' node list, a previous run) as alive at
   * incarnation 0, without gossiping it: it is probed like any other and gossip corrects it.
   */
  public void addKnownMember(String id, String address) {
    if (members.containsKey(id)) return;
    Member m = new Member(id, address, 0, clock.millis());
    members.put(id, m);
    memberIds.add(id);
    alive++;
    // joins the probe order when the current round ends (bulk adds stay linear)
    notifyMember(m);
  }

  /** Announces a graceful leave: the others mark this member LEFT rather than failed. */
  public void leave() {
    left = true;
    Update.Dead bye = new Update.Dead(self, incarnation, self);
    broadcasts.add(bye);
    Member me = members.get(self);
    if (!me.state.gone()) alive--;
    me.state = MemberState.LEFT;
  }

  public long localHealth() {
    return localHealth;
  }

  public long incarnation() {
    return incarnation;
  }

  public List<MemberInfo> members() {
    List<MemberInfo> out = new ArrayList<>(members.size());
    for (Member m : members.values()) out.add(m.info());
    return out;
  }

  public MemberInfo member(String id) {
    Member m = members.get(id);
    return m == null ? null : m.info();
  }

  public int aliveCount() {
    return alive;
  }

  /** Visible records of {@code table}: not deleted, owner not confirmed dead. */
  public List<GossipRecord> records(String table) {
    List<GossipRecord> out = new ArrayList<>();
    for (GossipRecord r : records.all()) if (r.table().equals(table) && visible(r)) out.add(r);
    return out;
  }

  /** Every stored copy, tombstones and records of dead owners included (tests, benchmarks). */
  public GossipRecord storedRecord(String table, String key) {
    return records.get(table + "\u0000" + key);
  }

  public void publish(String table, String key, byte[] value) {
    putOwn(new GossipRecord(table, key, self, nextRecordVersion(), false, value));
  }

  public void delete(String table, String key) {
    GossipRecord old = records.get(table + "\u0000" + key);
    if (old == null || old.deleted()) return;
    putOwn(new GossipRecord(table, key, self, nextRecordVersion(), true, new byte[0]));
  }

  /** When {@link #tick} wants to run next (local millis). */
  public long nextDeadline() {
    long d = Math.min(Math.min(nextProbeAt, nextGossipAt), Math.min(nextPushPullAt, nextReconnectAt));
    d = Math.min(d, nextReapAt);
    if (probe != null) d = Math.min(d, probe.indirectSent || probe.acked ? probe.endAt : probe.timeoutAt);
    for (Relay r : relays.values()) d = Math.min(d, r.nackAt);
    for (Suspicion s : suspicions.values()) d = Math.min(d, s.deadline());
    return d;
  }

  // ---- timers ----------------------------------------------------------------------------

  public void tick() {
    long now = clock.millis();
    if (probe != null) {
      if (!probe.acked && !probe.indirectSent && now >= probe.timeoutAt) sendIndirectProbes(now);
      if (now >= probe.endAt) finishProbe();
    }
    if (!relays.isEmpty()) {
      for (Iterator<Map.Entry<Long, Relay>> it = relays.entrySet().iterator(); it.hasNext(); ) {
        Relay r = it.next().getValue();
        if (now >= r.nackAt) {
          it.remove();
          sendPacket(r.requesterAddress, new Message.Nack(self, r.requesterSeq, List.of()));
        }
      }
    }
    if (!suspicions.isEmpty()) {
      List<String> expired = new ArrayList<>();
      for (Map.Entry<String, Suspicion> e : suspicions.entrySet()) if (now >= e.getValue().deadline()) expired.add(e.getKey());
      for (String id : expired) {
        Member m = members.get(id);
        suspicions.remove(id);
        if (m != null && m.state == MemberState.SUSPECT) applyDead(new Update.Dead(id, m.incarnation, self));
      }
    }
    if (now >= nextProbeAt && probe == null) {
      nextProbeAt = now + scaled(config.probeInterval().toMillis());
      startProbe(now);
    } else if (now >= nextProbeAt) {
      nextProbeAt = probe.endAt;
    }
    if (now >= nextGossipAt) {
      nextGossipAt = now + config.gossipInterval().toMillis();
      gossipRound();
    }
    if (now >= nextPushPullAt) {
      nextPushPullAt = now + config.pushPullInterval().toMillis();
      Member m = randomMember(false);
      if (m != null) pushPull(m.address);
    }
    if (now >= nextReconnectAt) {
      nextReconnectAt = now + config.reconnectInterval().toMillis();
      Member m = randomMember(true);
      if (m != null) {
        pushPull(m.address);
      } else if (aliveCount() <= 1 && !seeds.isEmpty()) {
        pushPull(seeds.get(random.nextInt(seeds.size())));
      }
    }
    if (now >= nextReapAt) {
      nextReapAt = now + 1000;
      reap(now);
    }
  }

  private long scaled(long millis) {
    return millis * (localHealth + 1);
  }

  private void changeHealth(int delta) {
    localHealth = Math.max(0, Math.min(config.maxLocalHealth(), localHealth + delta));
  }

  private void startProbe(long now) {
    Member target = nextProbeTarget();
    if (target == null) return;
    long seq = nextSeq++;
    probe = new Probe(target, seq, now + scaled(config.probeTimeout().toMillis()),
        now + scaled(config.probeInterval().toMillis()));
    List<Update> buddy = List.of();
    if (target.state == MemberState.SUSPECT) {
      // Lifeguard's buddy system: tell the suspect at once so it can refute
      Suspicion s = suspicions.get(target.id);
      buddy = List.of(new Update.Suspect(target.id, target.incarnation, s == null ? self : s.accuser));
    }
    sendPacket(target.address, new Message.Ping(self, selfAddress, seq, target.id, buddy));
  }

  private Member nextProbeTarget() {
    for (int tries = 0; tries < 2; tries++) {
      while (probeIndex < probeOrder.size()) {
        Member m = members.get(probeOrder.get(probeIndex++));
        if (m != null && !m.id.equals(self) && !m.state.gone()) return m;
      }
      probeOrder.clear();
      probeOrder.addAll(memberIds);
      Collections.shuffle(probeOrder, new java.util.Random(random.nextLong()));
      probeIndex = 0;
    }
    return null;
  }

  private void sendIndirectProbes(long now) {
    probe.indirectSent = true;
    List<Member> helpers = randomMembers(config.indirectChecks(), probe.target.id);
    probe.expectedNacks = helpers.size();
    for (Member h : helpers) {
      sendPacket(h.address, new Message.PingReq(self, selfAddress, probe.seq, probe.target.id, probe.target.address,
          List.of()));
    }
  }

  private void finishProbe() {
    Probe p = probe;
    probe = null;
    if (p.acked) {
      changeHealth(-1);
      return;
    }
    // Lifeguard: missing nacks mean our own packets are late, not (only) that the target is
    changeHealth(p.expectedNacks > 0 ? Math.max(0, p.expectedNacks - p.nacks) : 1);
    Member m = members.get(p.target.id);
    if (m == null || m.state.gone()) return;
    metrics.suspicionsRaised.increment();
    applySuspect(new Update.Suspect(m.id, m.incarnation, self));
  }

  private void gossipRound() {
    if (broadcasts.size() == 0) return;
    for (Member m : randomMembers(config.gossipFanout(), null)) {
      List<byte[]> ups = broadcasts.take(config.packetBudget() - 64, retransmitLimit());
      if (ups.isEmpty()) return;
      sendEncoded(m.address, new Message.Gossip(self, List.of()), ups);
    }
  }

  private int retransmitLimit() {
    return config.retransmitMult() * (int) Math.ceil(Math.log10(aliveCount() + 1));
  }

  private void pushPull(String address) {
    metrics.streamsSent.increment();
    transport.sendStream(address, sealer.seal(Codec.encode(new Message.PushPull(self, selfAddress, false, fullState()))));
  }

  private List<Update> fullState() {
    List<Update> state = new ArrayList<>(members.size() + records.size());
    for (Member m : members.values()) {
      if (m.id.equals(self)) {
        state.add(left ? new Update.Dead(self, incarnation, self) : new Update.Alive(self, selfAddress, incarnation));
      } else if (m.state == MemberState.ALIVE) {
        state.add(new Update.Alive(m.id, m.address, m.incarnation));
      } else if (m.state == MemberState.SUSPECT) {
        state.add(new Update.Alive(m.id, m.address, m.incarnation));
        state.add(new Update.Suspect(m.id, m.incarnation, self));
      } else {
        state.add(new Update.Alive(m.id, m.address, m.incarnation));
        state.add(new Update.Dead(m.id, m.incarnation, m.state == MemberState.LEFT ? m.id : self));
      }
    }
    for (GossipRecord r : records.all()) state.add(new Update.RecordChange(r));
    return state;
  }

  private void reap(long now) {
    long deadBefore = now - config.deadRetention().toMillis();
    List<String> forget = new ArrayList<>();
    for (Member m : members.values()) if (m.state.gone() && !m.id.equals(self) && m.since < deadBefore) forget.add(m.id);
    for (String id : forget) {
      members.remove(id);
      memberIds.remove(id);
      sealer.forget(id);
    }
    records.reap(now - config.tombstoneRetention().toMillis(), owner -> !owner.equals(self) && !members.containsKey(owner));
  }

  // ---- receiving -------------------------------------------------------------------------

  /** Handles one datagram as it came off the wire (sealed). */
  public void receivePacket(byte[] packet) {
    metrics.packetsReceived.increment();
    metrics.bytesReceived.add(packet.length);
    Message m = openAndDecode(packet, GossipConfig.MAX_PACKET);
    if (m != null) handle(m);
  }

  /** Handles one push-pull stream (sealed); a request is answered over {@link Transport#sendStream}. */
  public void receiveStream(byte[] stream) {
    metrics.bytesReceived.add(stream.length);
    Message m = openAndDecode(stream, GossipConfig.MAX_STREAM);
    if (!(m instanceof Message.PushPull pp)) {
      if (m != null) metrics.drop(DropReason.MALFORMED);
      return;
    }
    if (!pp.reply()) {
      metrics.streamsSent.increment();
      transport.sendStream(pp.replyTo(), sealer.seal(Codec.encode(new Message.PushPull(self, selfAddress, true, fullState()))));
    }
    for (Update u : pp.updates()) {
      // a remote's "dead" is only a suspicion here: we may know better, and the member can refute
      if (u instanceof Update.Dead d && !d.id().equals(d.from())) {
        applySuspect(new Update.Suspect(d.id(), d.incarnation(), d.from()));
      } else {
        apply(u);
      }
    }
  }

  private Message openAndDecode(byte[] bytes, int max) {
    PacketSealer.Opened opened;
    try {
      opened = sealer.open(bytes, max);
    } catch (RuntimeException e) {
      metrics.drop(DropReason.MALFORMED);
      return null;
    }
    if (opened == null) return null;
    Message m;
    try {
      m = Codec.decode(opened.plaintext());
    } catch (Codec.MalformedMessageException e) {
      metrics.drop(DropReason.MALFORMED);
      return null;
    }
    if (!m.from().equals(opened.sender())) {
      metrics.drop(DropReason.SENDER_MISMATCH);
      return null;
    }
    return m;
  }

  private void handle(Message msg) {
    if (msg instanceof Message.Ping p) {
      if (p.target().equals(self)) sendPacket(p.replyTo(), new Message.Ack(self, p.seq(), List.of()));
    } else if (msg instanceof Message.Ack a) {
      Relay relay = relays.remove(a.seq());
      if (relay != null) {
        sendPacket(relay.requesterAddress, new Message.Ack(self, relay.requesterSeq, List.of()));
      } else if (probe != null && probe.seq == a.seq()) {
        probe.acked = true;
      }
    } else if (msg instanceof Message.PingReq r) {
      long seq = nextSeq++;
      // nack early enough that the requester still counts it before its probe interval ends
      long nackAt = clock.millis() + config.probeTimeout().toMillis() * 8 / 10;
      relays.put(seq, new Relay(r.replyTo(), r.seq(), nackAt));
      sendPacket(r.targetAddress(), new Message.Ping(self, selfAddress, seq, r.target(), List.of()));
    } else if (msg instanceof Message.Nack n) {
      if (probe != null && probe.seq == n.seq()) probe.nacks++;
    }
    for (Update u : msg.updates()) apply(u);
  }

  private void apply(Update u) {
    if (u instanceof Update.Alive a) {
      applyAlive(a);
    } else if (u instanceof Update.Suspect s) {
      applySuspect(s);
    } else if (u instanceof Update.Dead d) {
      applyDead(d);
    } else {
      applyRecord(((Update.RecordChange) u).record());
    }
  }

  private void applyAlive(Update.Alive a) {
    long now = clock.millis();
    if (a.id().equals(self)) {
      if (a.incarnation() > incarnation && !left) refute(a.incarnation());
      return;
    }
    Member m = members.get(a.id());
    if (m == null) {
      m = new Member(a.id(), a.address(), a.incarnation(), now);
      members.put(m.id, m);
      memberIds.add(m.id);
      alive++;
      // a newcomer goes to a random place of the round so it is probed within one round
      probeOrder.add(probeIndex + random.nextInt(probeOrder.size() - probeIndex + 1), m.id);
      broadcasts.add(a);
      notifyMember(m);
      return;
    }
    if (a.incarnation() <= m.incarnation) return;
    boolean wasGone = m.state.gone();
    boolean changed = m.state != MemberState.ALIVE || !m.address.equals(a.address());
    m.incarnation = a.incarnation();
    m.address = a.address();
    suspicions.remove(m.id);
    if (wasGone) alive++;
    if (m.state != MemberState.ALIVE) {
      m.state = MemberState.ALIVE;
      m.since = now;
    }
    broadcasts.add(a);
    if (changed) notifyMember(m);
    if (wasGone) for (GossipRecord r : records.ownedBy(m.id)) if (visible(r)) notifyRecord(r, true);
  }

  private void applySuspect(Update.Suspect s) {
    if (s.id().equals(self)) {
      if (s.incarnation() >= incarnation && !left) {
        changeHealth(1);
        refute(s.incarnation());
      }
      return;
    }
    Member m = members.get(s.id());
    if (m == null || s.incarnation() < m.incarnation || m.state.gone()) return;
    if (m.state == MemberState.SUSPECT) {
      Suspicion sus = suspicions.get(m.id);
      if (sus != null && sus.confirm(s.from())) broadcasts.add(s);
      return;
    }
    long now = clock.millis();
    m.incarnation = s.incarnation();
    m.state = MemberState.SUSPECT;
    m.since = now;
    int n = aliveCount();
    int k = n - 2 < config.indirectChecks() ? 0 : config.indirectChecks();
    long min = (long) (config.suspicionMult() * Math.max(1.0, Math.log10(Math.max(1, n))) * config.probeInterval().toMillis());
    suspicions.put(m.id, new Suspicion(s.from(), now, min, min * config.suspicionMaxMult(), k));
    broadcasts.add(s);
    notifyMember(m);
  }

  private void applyDead(Update.Dead d) {
    if (d.id().equals(self)) {
      if (!left && d.incarnation() >= incarnation) refute(d.incarnation());
      return;
    }
    Member m = members.get(d.id());
    if (m == null || d.incarnation() < m.incarnation || m.state.gone()) return;
    broadcasts.add(d);
    markGone(m, d.incarnation(), d.from().equals(d.id()) ? MemberState.LEFT : MemberState.DEAD);
  }

  private void markGone(Member m, long inc, MemberState state) {
    if (!m.state.gone()) alive--;
    m.incarnation = inc;
    m.state = state;
    m.since = clock.millis();
    suspicions.remove(m.id);
    notifyMember(m);
    for (GossipRecord r : records.ownedBy(m.id)) if (!r.deleted()) notifyRecord(r, false);
  }

  private void refute(long seen) {
    incarnation = Math.max(incarnation, seen) + 1;
    members.get(self).incarnation = incarnation;
    metrics.refutations.increment();
    broadcasts.add(new Update.Alive(self, selfAddress, incarnation));
  }

  private void applyRecord(GossipRecord r) {
    if (r.owner().equals(self)) {
      GossipRecord mine = records.get(r.id());
      if (r.newerThan(mine) && !r.equals(mine)) {
        // a copy from before this member restarted: supersede it with what we hold now
        lastRecordVersion = Math.max(lastRecordVersion, r.version());
        if (mine == null || mine.deleted()) {
          if (!r.deleted()) putOwn(new GossipRecord(r.table(), r.key(), self, nextRecordVersion(), true, new byte[0]));
          else records.merge(r, clock.millis());
        } else {
          putOwn(new GossipRecord(r.table(), r.key(), self, nextRecordVersion(), false, mine.value()));
        }
      }
      return;
    }
    GossipRecord old = records.merge(r, clock.millis());
    if (old == r) return;
    broadcasts.add(new Update.RecordChange(r));
    boolean before = old != null && visible(old);
    boolean after = visible(r);
    if (after) notifyRecord(r, true);
    else if (before) notifyRecord(r, false);
  }

  private void putOwn(GossipRecord r) {
    GossipRecord old = records.merge(r, clock.millis());
    broadcasts.add(new Update.RecordChange(r));
    if (!r.deleted()) notifyRecord(r, true);
    else if (old != null && !old.deleted()) notifyRecord(r, false);
  }

  private long nextRecordVersion() {
    lastRecordVersion = Math.max(clock.millis(), lastRecordVersion + 1);
    return lastRecordVersion;
  }

  private boolean visible(GossipRecord r) {
    if (r.deleted()) return false;
    Member owner = members.get(r.owner());
    return owner == null ? !r.owner().equals(self) : !owner.state.gone() || owner.id.equals(self);
  }

  // ---- sending ---------------------------------------------------------------------------

  private void sendPacket(String address, Message m) {
    int fixed = Codec.encode(m).length;
    List<byte[]> ups = new ArrayList<>();
    for (Update u : m.updates()) ups.add(Codec.encodeUpdate(u));
    ups.addAll(broadcasts.take(config.packetBudget() - fixed - 64, retransmitLimit()));
    sendEncoded(address, m, ups);
  }

  private void sendEncoded(String address, Message m, List<byte[]> updates) {
    byte[] packet = sealer.seal(Codec.encode(m, updates));
    metrics.packetsSent.increment();
    metrics.bytesSent.add(packet.length);
    transport.sendPacket(address, packet);
  }

  private Member randomMember(boolean gone) {
    if (memberIds.size() <= 1) return null;
    for (int tries = 0; tries < 16; tries++) {
      Member m = members.get(memberIds.get(random.nextInt(memberIds.size())));
      if (m != null && !m.id.equals(self) && m.state.gone() == gone) return m;
    }
    return null;
  }

  /** Up to {@code k} distinct random members that are not gone, not self, not {@code except}. */
  private List<Member> randomMembers(int k, String except) {
    List<Member> out = new ArrayList<>(k);
    int n = memberIds.size();
    for (int tries = 0; tries < 4 * k + 8 && out.size() < k && n > 1; tries++) {
      Member m = members.get(memberIds.get(random.nextInt(n)));
      if (m == null || m.id.equals(self) || m.state.gone() || m.id.equals(except) || out.contains(m)) continue;
      out.add(m);
    }
    return out;
  }

  private void notifyMember(Member m) {
    MemberInfo info = m.info();
    for (GossipListener l : listeners) l.memberChanged(info);
  }

  private void notifyRecord(GossipRecord r, boolean present) {
    for (GossipListener l : listeners) l.recordChanged(r, present);
  }
}
