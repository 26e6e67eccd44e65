package io.shoal.daemon.swarm;

import io.shoal.agent.exec.Executor;
import io.shoal.api.dispatch.LogLine;
import io.shoal.api.dispatch.LogRequest;
import io.shoal.api.dispatch.TaskLogs;
import io.shoal.api.error.ShoalException;
import io.shoal.api.model.Node;
import io.shoal.api.model.Task;
import io.shoal.ca.CertificateStore;
import io.shoal.ca.NodeRole;
import io.shoal.ca.RootCA;
import io.shoal.ca.tls.MutualTls;
import io.shoal.ca.tls.NodeKeyManager;
import io.shoal.daemon.Addresses;
import io.shoal.network.mesh.RoutingMesh;
import io.shoal.network.node.NodeNetworking;
import io.shoal.raft.RaftTls;
import io.shoal.rpc.ManagerClient;
import io.shoal.rpc.RemoteDispatcher;
import io.shoal.rpc.RemoteTaskLogs;
import io.shoal.rpc.SessionInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything a node runs while it is in a swarm, built the same way after init, join or a
 * restart: the cluster port (server and client channels), the manager (if it is one), the agent
 * — which always reaches the leader's dispatcher over the cluster port, even on the leader itself,
 * so a one-node and a hundred-node swarm take the same path — the routing mesh, and the
 * certificate renewer.
 *
 * <p>Roles change in place (promote, demote): the renewer gets a certificate for the new role,
 * then {@link #reconcileRole} starts or stops the manager; the agent, its tasks, the cluster port
 * and the mesh keep running throughout.
 *
 * <p>Threading: role changes and close are serialised on this object; readers of the manager
 * and the state see volatile fields.
 */
public final class NodeRuntime implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NodeRuntime.class);
  /** How long a manager holds a node's view poll while nothing changes. */
  static final java.time.Duration VIEW_POLL = java.time.Duration.ofSeconds(10);

  /** What a node runtime needs from the daemon. */
  /**
   * @param roleChanged told after a promotion or demotion took effect here (the daemon opens or
   *     closes what only managers serve, e.g. the TLS API); called on the renewer's thread with this
   *     runtime's lock held, so it must hand off rather than call back in
   */
  public record Context(Path dataRoot, String hostname, String dataPathAddr, Function<String, Executor> executors,
      Clock clock, SecureRandom random, Integer raftPortOverride, Function<X509Certificate, Instant> renewAt,
      Runnable roleChanged) {

    /** The raft port: the override, else the listen port + 1. */
    public int raftPort(String listenAddr) {
      return raftPortOverride != null ? raftPortOverride : Addresses.port(listenAddr) + 1;
    }

    public Path raftDir() {
      return dataRoot.resolve("raft");
    }
  }

  private final Context ctx;
  private final RootCA ca;
  private final NodeKeyManager keyManager;
  private final ClusterRuntime cluster;
  private final AgentRuntime agent;
  private final RoutingMesh mesh;
  private final NodeNetworking networking;
  private final ManagerClient managers;
  private final RemoteDispatcher dispatcher;
  private final CertificateRenewer renewer;
  private final NodeGossip gossip;
  private volatile NodeState state;
  private volatile ManagerRuntime manager;
  private volatile AutoCloseable meshFeed;
  private final NetworkViewBus networkViews = new NetworkViewBus();
  private volatile AutoCloseable viewFeed;
  private volatile boolean closed; // written under this
  /**
   * Guards the state file and the manager lists. Not {@code this}: a promotion holds that while it
   * waits for raft (up to a minute), and the heartbeat thread that brings new manager lists must
   * never wait that long, or the node would be marked down.
   */
  private final Object stateLock = new Object();

  private NodeRuntime(Context ctx, NodeState s, NodeKeyManager keyManager, RootCA ca, ManagerRuntime m) {
    this.ctx = ctx;
    this.ca = ca;
    this.keyManager = keyManager;
    this.state = s;
    this.manager = m;
    this.gossip = new NodeGossip(s.nodeID(), s.listenAddr(), s.advertiseAddr(), ctx.clock());
    // while this node leads, gossip's verdict (confirmed dead, or left) ends that node's session
    // at once instead of after three missed heartbeats
    gossip.onGone(id -> {
      ManagerRuntime mr = manager;
      if (mr != null && mr.dispatcher() instanceof io.shoal.manager.dispatcher.DispatcherService d) {
        d.nodeUnreachable(id);
      }
    });
    AgentRuntime[] agentRef = new AgentRuntime[1];
    TaskLogs localLogs = (task, req, sink, onEnd) -> {
      AgentRuntime a = agentRef[0];
      if (a == null) throw new ShoalException.Unavailable("this node's agent is not running");
      return a.logs().stream(task, req, sink, onEnd);
    };
    this.cluster = new ClusterRuntime(s.listenAddr(), keyManager, ca, localLogs,
        // removal is recorded, not inferred from absence: a manager still catching up knows
        // fewer nodes than exist, and must not refuse the ones it has not heard of yet
        id -> {
          ManagerRuntime mr = manager;
          return mr != null && mr.store().view(tx -> tx.cluster() != null && tx.cluster().removed(id));
        },
        () -> {
          ManagerRuntime mr = manager;
          return mr == null ? null : mr.leaderClusterAddr();
        });
    try {
      if (m != null) serveManager(m);
      this.managers = new ManagerClient(cluster.channels(), s.remoteManagers());
      this.dispatcher = new RemoteDispatcher(cluster.channels(), s.remoteManagers());
      dispatcher.onSessionInfo(this::sessionInfo);
      this.agent = new AgentRuntime(s.nodeID(), s.advertiseAddr(), ctx.hostname(), ctx.dataPathAddr(),
          ctx.dataRoot().resolve("agent"), dispatcher, ctx.executors().apply(s.nodeID()), ctx.clock(), ctx.random());
      agentRef[0] = agent;
      agent.start();
      // published ports listen where the cluster port does: all interfaces by default, as Swarm
      this.mesh = new RoutingMesh(Addresses.host(s.listenAddr()));
      this.meshFeed = meshFeed(m);
      this.networking = NodeNetworks.start((view, stopping) -> agent.onNetworkView(view), mesh, ctx.random());
      // the resolver and the VIPs forget a task before its container gets the stop signal
      agent.agent().addTaskStoppingListener(t -> networking.onTaskStopping(t.id()));
      // Not subscribed to the views yet: until the overlay data path builds the bridges and
      // attaches task containers, the view-fed mesh would send published ports to task addresses
      // no one can reach, and T4's published-port checks fail. The data path lands this line with
      // its own consumer: networkViews.subscribe(networking::onView);
      this.viewFeed = viewFeed(m);
      this.renewer = new CertificateRenewer(keyManager, new CertificateStore(ctx.dataRoot()),
          () -> managers.renew(ca, ctx.random(), ctx.clock()), cluster.channels()::refresh, ctx.renewAt(),
          this::reconcileRole, ctx.clock(), ctx.random());
      renewer.start();
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  /** @param keyManager this node's credentials; a manager's raft server must share it */
  public static NodeRuntime start(Context ctx, NodeState s, NodeKeyManager keyManager, RootCA ca, ManagerRuntime manager) {
    return new NodeRuntime(ctx, s, keyManager, ca, manager);
  }

  /** Raft TLS with this node's (shared, renewable) key manager, admitting this swarm's managers only. */
  public static RaftTls raftTls(NodeKeyManager keyManager, RootCA ca, String clusterId) {
    return RaftTls.forManagers(keyManager, MutualTls.caOnlyTrustManager(ca), clusterId);
  }

  public NodeState state() {
    return state;
  }

  public ManagerRuntime manager() {
    return manager;
  }

  public AgentRuntime agent() {
    return agent;
  }

  /**
   * This node's network consumers (resolver, VIPs, mesh): hand every network view to
   * {@link NodeNetworking#onView}, and call {@link NodeNetworking#onTaskStopping} before a task's
   * container is stopped.
   */
  public NodeNetworking networking() {
    return networking;
  }

  public ClusterRuntime cluster() {
    return cluster;
  }

  public ManagerClient managers() {
    return managers;
  }

  /** This node's credentials (renewed in place); other listeners may present them too. */
  public NodeKeyManager keyManager() {
    return keyManager;
  }

  /** The swarm's root CA (it holds the key only on managers). */
  public RootCA rootCA() {
    return ca;
  }

  public CertificateRenewer renewer() {
    return renewer;
  }

  private void serveManager(ManagerRuntime m) {
    LeaderJoinHandler ca = new LeaderJoinHandler(m.store(), m.raft(), ctx.clock(), ctx.random());
    ca.gossipAddress(gossip::address);
    cluster.serveManager(ca, new RaftManagerOps(m.store(), m.raft()), new LeaderDispatcher(m::dispatcher),
        new StoreMeshSource(m.store()), (nodeId, since) -> m.networkViews().poll(nodeId, since, VIEW_POLL), ca::sessionInfo);
    m.clusterServing();
    m.control().setDemotionCheck(id -> Membership.removalRefusal(id, m.raft().id(), m.peers()).ifPresent(reason -> {
      throw new ShoalException.InvalidSpec(reason);
    }));
  }

  private AutoCloseable meshFeed(ManagerRuntime m) {
    return m != null ? new MeshWatcher(m.store(), mesh, state.nodeID()) : new RemoteMeshWatcher(managers, mesh);
  }

  private void swapMeshFeed(ManagerRuntime m) {
    AutoCloseable old = meshFeed;
    meshFeed = meshFeed(m);
    quietly(old);
    AutoCloseable oldViews = viewFeed;
    viewFeed = viewFeed(m);
    quietly(oldViews);
  }

  /** A manager reads its own node's view from its store; a worker long-polls a manager. */
  private AutoCloseable viewFeed(ManagerRuntime m) {
    if (m == null) return new RemoteNetworkViewFeed(managers, networkViews);
    String self = state.nodeID();
    io.shoal.api.net.NetworkViewListener l = networkViews::publish;
    m.networkViews().subscribe(self, l);
    return () -> m.networkViews().unsubscribe(self, l);
  }

  /**
   * This node's network view, for the node's consumers (data path, resolver, mesh): subscribe
   * once, the bus outlives role changes.
   */
  public NetworkViewBus networkViews() {
    return networkViews;
  }

  /**
   * What the leader said with a heartbeat: the role this node's certificate should carry (the
   * renewer acts on a difference) and the managers (kept, and persisted, so failover and a
   * restart use the current list rather than the one from join time).
   */
  private void sessionInfo(SessionInfo info) {
    gossip.onSession(info);
    CertificateRenewer r = renewer;
    if (r == null) return; // the agent registered before the constructor finished: the next heartbeat tells again
    if (info.role() != null) r.requestRole(NodeRole.fromApiName(info.role()));
    List<String> known = info.managers();
    if (known.isEmpty()) return;
    synchronized (stateLock) {
      if (closed || (known.equals(state.remoteManagers()) && known.equals(dispatcher.managers()))) return;
      useManagers(known);
      persist(st -> st.withRemoteManagers(known));
      log.info("managers of the swarm: {}", known);
    }
  }

  /** Every client of the managers (agent session, membership, mesh, renewal) uses {@code addrs} from now on. */
  private void useManagers(List<String> addrs) {
    if (addrs.isEmpty()) return;
    dispatcher.updateManagers(addrs);
    managers.updateManagers(addrs);
  }

  /**
   * Brings the runtime in line with the certificate's role: a manager certificate without a
   * manager runtime joins raft (promotion); a worker certificate with one stops it (demotion).
   * Runs on the renewer's thread; throws to be retried.
   */
  synchronized void reconcileRole(NodeRole role, ManagerClient.Renewed renewed) throws Exception {
    if (closed) return;
    if (role == NodeRole.MANAGER && manager == null) {
      promote(renewed);
    } else if (role == NodeRole.WORKER && manager != null) {
      demote();
    } else if (role == NodeRole.WORKER && state.manager()) {
      // a demotion finished before a crash: the state file is all that is left of it
      deleteTree(ctx.raftDir());
      synchronized (stateLock) {
        persist(st -> st.withRole("worker", null, others()));
      }
    }
  }

  private void promote(ManagerClient.Renewed renewed) throws IOException {
    if (renewed == null || renewed.raftGroupId() == null) {
      // e.g. a restart between the certificate and the raft join: fetch the raft details again
      throw new CertificateRenewer.RenewFirst("a manager certificate without raft details; renewing to get them");
    }
    NodeState s = state;
    String raftAddr = Addresses.host(s.advertiseAddr()) + ":" + ctx.raftPort(s.listenAddr());
    log.info("this node was promoted: joining raft at {}", raftAddr);
    deleteTree(ctx.raftDir()); // what an earlier membership left must not meet the new group
    ManagerRuntime m = ManagerRuntime.join(ctx.raftDir(), s.nodeID(), raftAddr, renewed.raftGroupId(),
        renewed.raftDataKey(), raftTls(keyManager, ca, s.clusterID()), ctx.clock(), ctx.random());
    try {
      List<String> others = others();
      // ask the managers, never our own, still empty, raft
      new ManagerClient(cluster.channels(), others.isEmpty() ? s.remoteManagers() : others).addManager(s.nodeID(), raftAddr);
    } catch (RuntimeException e) {
      m.close();
      deleteTree(ctx.raftDir());
      throw e;
    }
    manager = m;
    serveManager(m);
    swapMeshFeed(m);
    synchronized (stateLock) {
      List<String> all = new ArrayList<>(state.remoteManagers());
      if (!all.contains(s.advertiseAddr())) all.add(s.advertiseAddr());
      // this node is a manager now: its own agent may have to reach it (it may be elected leader)
      useManagers(all);
      persist(st -> st.withRole("manager", raftAddr, all));
    }
    log.info("this node is now a manager");
    ctx.roleChanged().run();
  }

  private void demote() {
    ManagerRuntime m = manager;
    log.info("this node was demoted: stopping its manager (it has left raft)");
    cluster.stopServingManager();
    manager = null;
    synchronized (stateLock) {
      useManagers(others());
    }
    swapMeshFeed(null);
    m.close();
    deleteTree(ctx.raftDir());
    synchronized (stateLock) {
      List<String> others = others();
      persist(st -> st.withRole("worker", null, others.isEmpty() ? st.remoteManagers() : others));
    }
    log.info("this node is now a worker; its tasks keep running");
    ctx.roleChanged().run();
  }

  /** The known managers but this node. */
  private List<String> others() {
    NodeState s = state;
    return s.remoteManagers().stream().filter(a -> !a.equals(s.advertiseAddr())).toList();
  }

  /** Applies {@code change} to the state and writes it; callers hold {@link #stateLock}. */
  private void persist(UnaryOperator<NodeState> change) {
    NodeState next = change.apply(state);
    state = next;
    try {
      next.write(ctx.dataRoot());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + NodeState.FILE + ": " + e.getMessage(), e);
    }
  }

  static void deleteTree(Path p) {
    if (!Files.exists(p)) return;
    try (Stream<Path> walk = Files.walk(p)) {
      for (Path f : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + p + ": " + e.getMessage(), e);
    }
  }

  /** Logs of a task wherever it runs: from the local agent, or pulled from its node's cluster port. */
  public AutoCloseable logs(Task task, LogRequest req, Consumer<LogLine> sink, Runnable onEnd) {
    if (state.nodeID().equals(task.nodeID())) return agent.logs().stream(task, req, sink, onEnd);
    ManagerRuntime m = manager;
    if (m == null) throw new ShoalException.NotAManager();
    Node n = m.store().view(tx -> tx.node(task.nodeID()));
    if (n == null || n.status() == null || n.status().addr() == null) {
      throw new ShoalException.Unavailable("node " + task.nodeID() + " of task " + task.id() + " cannot be reached for logs");
    }
    return RemoteTaskLogs.at(cluster.channels(), n.status().addr()).stream(task, req, sink, onEnd);
  }

  /** Stops everything; with {@code removeTasks} (leaving the swarm) the task containers go too. */
  public void close(boolean removeTasks) {
    // the renewer first and outside the lock: it may be inside reconcileRole, which holds it
    renewer.close();
    ManagerRuntime m;
    synchronized (this) {
      closed = true;
      m = manager;
    }
    // no graceful leave: a stopped daemon and a killed one look alike to the others (confirmed
    // dead after the suspicion timeout), as with heartbeats
    quietly(gossip);
    quietly(meshFeed);
    quietly(viewFeed);
    networkViews.close();
    quietly(networking);
    mesh.close();
    if (removeTasks) agent.closeAndRemoveTasks();
    else agent.close();
    quietly(cluster);
    if (m != null) m.close();
  }

  @Override
  public void close() {
    close(false);
  }

  private static void quietly(AutoCloseable c) {
    try {
      if (c != null) c.close();
    } catch (Exception ignored) {
      // shutting down
    }
  }
}
