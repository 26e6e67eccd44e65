package io.shoal.testkit.sim.raft;

import io.shoal.store.Proposal;
import io.shoal.testkit.sim.Sim;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongSupplier;

/**
 * One member of the raft model (see the package doc for what is and is not modelled). Timers are
 * simulator events; messages go out through the {@link Host}, which owns the network.
 *
 * <p>Safety assertions that must never fire in a correct raft (truncating a committed entry, two
 * different entries with the same index and term) throw at once: the simulator turns that into a
 * failure naming the seed.
 */
public final class RaftMember {
  public static final long HEARTBEAT_MS = 100;
  public static final long ELECTION_MIN_MS = 1000;
  public static final long ELECTION_MAX_MS = 2000;
  private static final int MAX_BATCH = 64;

  public enum Role {
    FOLLOWER,
    CANDIDATE,
    LEADER
  }

  /** What the member needs from the process it lives in. */
  public interface Host {
    void send(String to, RaftMessage m);

    /** A committed entry, in log order, once per index per incarnation (no-ops included). */
    void apply(long index, Entry e);

    /** This member's no-op of its term is applied: its state machine is current, it may lead. */
    void leaderReady();

    /** This member stopped being leader (stepped down, or saw a higher term). */
    void leadershipLost();
  }

  private final Sim sim;
  private final String id;
  private final List<String> peers = new ArrayList<>();
  private final int majority;
  private final Host host;
  private final LongSupplier entryIds;

  // persistent: survives crash()
  private long term;
  private String votedFor;
  private final List<Entry> log = new ArrayList<>();
  private long commitIndex;

  // volatile
  private boolean up = true;
  private Role role = Role.FOLLOWER;
  private String leaderId;
  private long lastApplied;
  private long readyIndex = -1;
  private final TreeSet<String> votes = new TreeSet<>();
  private final Map<String, Long> next = new TreeMap<>();
  private final Map<String, Long> match = new TreeMap<>();
  private final Map<String, Long> lastContact = new TreeMap<>();
  private Sim.Event electionTimer;
  private Sim.Event heartbeatTimer;
  private boolean checkLog = true;

  public RaftMember(Sim sim, String id, List<String> members, Host host, LongSupplier entryIds) {
    this.sim = sim;
    this.id = id;
    for (String m : members) if (!m.equals(id)) peers.add(m);
    this.majority = members.size() / 2 + 1;
    this.host = host;
    this.entryIds = entryIds;
  }

  /** Test knob: false grants votes without the log-up-to-date check (a known-broken raft). */
  public void setVoteChecksLog(boolean check) {
    this.checkLog = check;
  }

  public void start() {
    resetElectionTimer();
  }

  /** The process dies: volatile state is gone, persistent state stays. */
  public void crash() {
    up = false;
    cancelTimers();
    role = Role.FOLLOWER;
    leaderId = null;
    votes.clear();
    readyIndex = -1;
  }

  /** The process starts again: the host's fresh state machine gets every committed entry replayed. */
  public void restart() {
    up = true;
    role = Role.FOLLOWER;
    leaderId = null;
    lastApplied = 0;
    applyCommitted();
    resetElectionTimer();
  }

  // ---- client side ----

  /** Appends {@code p} if this member leads; returns its index, or -1 when not leader. */
  public long propose(Proposal p) {
    if (!up || role != Role.LEADER) return -1;
    log.add(new Entry(term, entryIds.getAsLong(), p));
    for (String peer : peers) sendAppend(peer);
    advanceCommit();
    return lastIndex();
  }

  // ---- messages ----

  public void receive(String from, RaftMessage m) {
    if (!up) return;
    if (m.term() > term) becomeFollower(m.term(), null);
    if (m instanceof RaftMessage.RequestVote rv) onRequestVote(from, rv);
    else if (m instanceof RaftMessage.Vote v) onVote(from, v);
    else if (m instanceof RaftMessage.Append a) onAppend(from, a);
    else if (m instanceof RaftMessage.AppendReply r) onAppendReply(from, r);
  }

  private void onRequestVote(String from, RaftMessage.RequestVote m) {
    boolean upToDate = !checkLog || m.lastTerm() > lastTerm() || (m.lastTerm() == lastTerm() && m.lastIndex() >= lastIndex());
    boolean granted = m.term() == term && (votedFor == null || votedFor.equals(m.candidate())) && upToDate;
    if (granted) {
      votedFor = m.candidate();
      resetElectionTimer();
    }
    host.send(from, new RaftMessage.Vote(term, granted));
  }

  private void onVote(String from, RaftMessage.Vote m) {
    if (role != Role.CANDIDATE || m.term() != term || !m.granted()) return;
    votes.add(from);
    if (votes.size() >= majority) becomeLeader();
  }

  private void onAppend(String from, RaftMessage.Append m) {
    if (m.term() < term) {
      host.send(from, new RaftMessage.AppendReply(term, false, 0));
      return;
    }
    if (role == Role.LEADER) throw new IllegalStateException("two leaders in term " + term + ": " + id + " and " + from);
    if (role == Role.CANDIDATE) becomeFollower(term, from);
    leaderId = from;
    resetElectionTimer();
    if (m.prevIndex() > lastIndex() || termAt(m.prevIndex()) != m.prevTerm()) {
      host.send(from, new RaftMessage.AppendReply(term, false, Math.min(m.prevIndex() - 1, lastIndex())));
      return;
    }
    long idx = m.prevIndex();
    for (Entry e : m.entries()) {
      idx++;
      if (idx <= lastIndex()) {
        Entry have = log.get((int) idx - 1);
        if (have.term() == e.term()) {
          if (have.id() != e.id()) throw new IllegalStateException("log matching broken at " + idx + " on " + id);
          continue;
        }
        if (idx <= commitIndex) throw new IllegalStateException(id + " asked to truncate committed entry " + idx);
        log.subList((int) idx - 1, log.size()).clear();
      }
      log.add(e);
    }
    long lastNew = m.prevIndex() + m.entries().size();
    if (m.leaderCommit() > commitIndex) {
      commitIndex = Math.max(commitIndex, Math.min(m.leaderCommit(), lastNew));
      applyCommitted();
    }
    host.send(from, new RaftMessage.AppendReply(term, true, lastNew));
  }

  private void onAppendReply(String from, RaftMessage.AppendReply m) {
    if (role != Role.LEADER || m.term() != term) return;
    lastContact.put(from, sim.now());
    if (m.success()) {
      match.put(from, Math.max(match.get(from), m.match()));
      next.put(from, Math.max(next.get(from), match.get(from) + 1));
      advanceCommit();
      if (next.get(from) <= lastIndex()) sendAppend(from);
    } else {
      next.put(from, Math.max(1, Math.min(next.get(from) - 1, m.match() + 1)));
      sendAppend(from);
    }
  }

  // ---- roles ----

  private void startElection() {
    if (!up || role == Role.LEADER) return;
    term++;
    role = Role.CANDIDATE;
    votedFor = id;
    leaderId = null;
    votes.clear();
    votes.add(id);
    resetElectionTimer();
    sim.note(id + " campaigns in term " + term);
    if (votes.size() >= majority) {
      becomeLeader();
      return;
    }
    for (String p : peers) host.send(p, new RaftMessage.RequestVote(term, id, lastIndex(), lastTerm()));
  }

  private void becomeLeader() {
    role = Role.LEADER;
    leaderId = id;
    if (electionTimer != null) electionTimer.cancel();
    for (String p : peers) {
      next.put(p, lastIndex() + 1);
      match.put(p, 0L);
      lastContact.put(p, sim.now()); // a fresh leader gets one election timeout of grace
    }
    sim.note(id + " leads term " + term);
    log.add(new Entry(term, entryIds.getAsLong(), null));
    readyIndex = lastIndex();
    heartbeat();
    advanceCommit();
  }

  private void becomeFollower(long newTerm, String leader) {
    boolean wasLeader = role == Role.LEADER;
    if (newTerm > term) {
      term = newTerm;
      votedFor = null;
    }
    role = Role.FOLLOWER;
    leaderId = leader;
    readyIndex = -1;
    if (heartbeatTimer != null) heartbeatTimer.cancel();
    resetElectionTimer();
    if (wasLeader) {
      sim.note(id + " steps down in term " + term);
      host.leadershipLost();
    }
  }

  private void heartbeat() {
    if (!up || role != Role.LEADER) return;
    // check-quorum: a leader cut off from a majority must stop acting as one
    int reachable = 1;
    for (String p : peers) if (sim.now() - lastContact.get(p) < ELECTION_MIN_MS) reachable++;
    if (reachable < majority) {
      becomeFollower(term, null);
      return;
    }
    for (String p : peers) sendAppend(p);
    heartbeatTimer = sim.after(HEARTBEAT_MS, id + " heartbeat", this::heartbeat);
  }

  private void sendAppend(String peer) {
    long prev = next.get(peer) - 1;
    int to = (int) Math.min(lastIndex(), prev + MAX_BATCH);
    List<Entry> entries = List.copyOf(log.subList((int) prev, to));
    host.send(peer, new RaftMessage.Append(term, id, prev, termAt(prev), entries, commitIndex));
  }

  private void advanceCommit() {
    for (long n = lastIndex(); n > commitIndex; n--) {
      if (termAt(n) != term) break; // only entries of the current term commit by counting
      int count = 1;
      for (String p : peers) if (match.get(p) >= n) count++;
      if (count >= majority) {
        commitIndex = n;
        applyCommitted();
        return;
      }
    }
  }

  private void applyCommitted() {
    while (up && lastApplied < commitIndex) {
      lastApplied++;
      host.apply(lastApplied, log.get((int) lastApplied - 1));
      if (role == Role.LEADER && lastApplied == readyIndex) host.leaderReady();
    }
  }

  private void resetElectionTimer() {
    if (electionTimer != null) electionTimer.cancel();
    if (!up) return;
    electionTimer = sim.after(sim.between(ELECTION_MIN_MS, ELECTION_MAX_MS), id + " election timeout", this::startElection);
  }

  private void cancelTimers() {
    if (electionTimer != null) electionTimer.cancel();
    if (heartbeatTimer != null) heartbeatTimer.cancel();
  }

  // ---- reads for the harness and the invariants ----

  public String id() {
    return id;
  }

  public boolean isUp() {
    return up;
  }

  public Role role() {
    return role;
  }

  public boolean isLeader() {
    return up && role == Role.LEADER;
  }

  public String leaderId() {
    return leaderId;
  }

  public long term() {
    return term;
  }

  public long commitIndex() {
    return commitIndex;
  }

  public long lastApplied() {
    return lastApplied;
  }

  public long lastIndex() {
    return log.size();
  }

  public long lastTerm() {
    return termAt(lastIndex());
  }

  public long termAt(long index) {
    return index == 0 ? 0 : log.get((int) index - 1).term();
  }

  /** The entry at {@code index} (1-based), or null past the end. */
  public Entry entry(long index) {
    return index >= 1 && index <= log.size() ? log.get((int) index - 1) : null;
  }
}
