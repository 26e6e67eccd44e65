package io.shoal.daemon.swarm;

import io.shoal.daemon.events.ClusterEvents;
import io.shoal.api.dispatch.Dispatcher;
import io.shoal.manager.controlapi.ControlApi;
import io.shoal.manager.netview.NetworkViewHub;
import io.shoal.raft.PeerStatus;
import io.shoal.raft.RaftNode;
import io.shoal.raft.RaftTls;
import io.shoal.store.MemoryStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A manager's moving parts: the store, the raft node that feeds it, the control API that writes
 * to it, and — while this manager leads — the leader-only services.
 *
 * <p>Threading: leadership changes arrive on raft's notifier thread and start or stop the leader
 * services under this object's lock; everything else is thread-safe by delegation.
 */
public final class ManagerRuntime implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ManagerRuntime.class);
  /** Events kept for --since replays (dockerd keeps 256; swarm events come in bursts). */
  public static final int EVENT_HISTORY = 1024;

  private final MemoryStore store;
  private final RaftNode raft;
  private final ControlApi control;
  /** Swarm events of this manager's store, fed from its watch from the start (GET /events). */
  private final ClusterEvents events;
  private final NetworkViewHub networkViews;
  private final Clock clock;
  private final RandomGenerator random;
  private volatile LeaderServices leader;
  private volatile RoleReconciler roles;
  private volatile boolean closed;
  /** When the node's cluster port began serving this manager's services; null before. */
  private volatile java.time.Instant clusterServingSince;

  private ManagerRuntime(Path raftDir, String nodeId, String raftAddr, RaftTls tls, Clock clock, RandomGenerator random) {
    this.clock = clock;
    this.random = random;
    this.store = new MemoryStore(clock);
    this.raft = new RaftNode(nodeId, raftAddr, raftDir, store, tls, clock);
    store.setProposer(raft);
    this.control = new ControlApi(store, clock, random);
    this.events = new ClusterEvents(store, clock, EVENT_HISTORY);
    this.networkViews = new NetworkViewHub(store);
    raft.onLeadershipChange(this::leadershipChanged);
  }

  /** A new one-manager swarm (swarm init): this node leads a fresh raft group. */
  public static ManagerRuntime bootstrap(Path raftDir, String nodeId, String raftAddr, RaftTls tls, Clock clock,
      RandomGenerator random) throws IOException {
    ManagerRuntime m = new ManagerRuntime(raftDir, nodeId, raftAddr, tls, clock, random);
    try {
      m.raft.bootstrap();
    } catch (IOException | RuntimeException e) {
      m.close();
      throw e;
    }
    return m;
  }

  /** A manager restarting: the store is rebuilt from raft's snapshot and log. */
  public static ManagerRuntime restart(Path raftDir, String nodeId, String raftAddr, RaftTls tls, Clock clock,
      RandomGenerator random) throws IOException {
    ManagerRuntime m = new ManagerRuntime(raftDir, nodeId, raftAddr, tls, clock, random);
    m.raft.start();
    return m;
  }

  /**
   * {@code swarm init --force-new-cluster}: this manager's state, replayed from its raft data,
   * becomes a new one-peer group that this node leads.
   */
  public static ManagerRuntime forceNewCluster(Path raftDir, String nodeId, String raftAddr, RaftTls tls, Clock clock,
      RandomGenerator random) throws IOException {
    ManagerRuntime m = new ManagerRuntime(raftDir, nodeId, raftAddr, tls, clock, random);
    try {
      m.raft.forceNewCluster();
    } catch (IOException | RuntimeException e) {
      m.close();
      throw e;
    }
    return m;
  }

  /**
   * A new manager joining an existing swarm: an empty raft server waiting to be added; the caller
   * then asks the leader to add it, and the leader sends it a snapshot and the log.
   */
  public static ManagerRuntime join(Path raftDir, String nodeId, String raftAddr, String groupId, byte[] dataKey,
      RaftTls tls, Clock clock, RandomGenerator random) throws IOException {
    ManagerRuntime m = new ManagerRuntime(raftDir, nodeId, raftAddr, tls, clock, random);
    m.raft.join(groupId, dataKey);
    return m;
  }

  /**
   * Called once the node's cluster port serves this manager (dispatcher included): the leader's
   * grace for nodes to register starts no earlier, so a leader elected before its port opened
   * (a restart: raft starts first) does not count that delay against the nodes.
   */
  public void clusterServing() {
    if (clusterServingSince == null) clusterServingSince = clock.instant();
  }

  /** The leader's cluster-port address (host:port), for NotLeader hints; null when unknown. */
  public String leaderClusterAddr() {
    Optional<String> id = raft.leaderId();
    if (id.isEmpty()) return null;
    var n = store.view(tx -> tx.node(id.get()));
    return n == null || n.managerStatus() == null ? null : n.managerStatus().addr();
  }

  private synchronized void leadershipChanged(boolean isLeader) {
    if (closed) return;
    if (isLeader && leader == null) {
      log.info("this manager is now the leader: starting orchestrator, allocator, scheduler, dispatcher");
      leader = new LeaderServices(store, clock, random, () -> clusterServingSince);
      roles = new RoleReconciler(store, raft);
    } else if (!isLeader && leader != null) {
      log.info("this manager is no longer the leader: stopping leader services");
      roles.close();
      roles = null;
      leader.close();
      leader = null;
    }
  }

  public MemoryStore store() {
    return store;
  }

  public ClusterEvents events() {
    return events;
  }

  /** Every node's network view from this manager's store (leader or not). */
  public NetworkViewHub networkViews() {
    return networkViews;
  }

  public ControlApi control() {
    return control;
  }

  public RaftNode raft() {
    return raft;
  }

  public boolean isLeader() {
    return raft.isLeader();
  }

  /** The in-process dispatcher while this manager leads, else null. */
  public Dispatcher dispatcher() {
    LeaderServices l = leader;
    return l == null ? null : l.dispatcher();
  }

  public List<PeerStatus> peers() {
    return raft.peers();
  }

  public Optional<String> leaderId() {
    return raft.leaderId();
  }

  /** Waits until the leader services run (after bootstrap or restart of a single manager). */
  public boolean awaitLeaderServices(Duration timeout) throws InterruptedException {
    Instant end = clock.instant().plus(timeout);
    while (clock.instant().isBefore(end)) {
      if (leader != null) return true;
      synchronized (this) {
        wait(50);
      }
    }
    return leader != null;
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      if (leader != null) {
        roles.close();
        roles = null;
        leader.close();
        leader = null;
      }
    }
    events.close();
    networkViews.close();
    // outside the lock: closing raft notifies "no longer leader", which takes this lock
    raft.close();
  }
}
