package io.shoal.daemon;

import io.shoal.agent.exec.Executor;
import io.shoal.api.dispatch.TaskLogs;
import io.shoal.api.error.ShoalException;
import io.shoal.api.model.Cluster;
import io.shoal.api.model.Ids;
import io.shoal.api.model.Node;
import io.shoal.ca.CaException;
import io.shoal.ca.CertificateStore;
import io.shoal.ca.NodeCredentials;
import io.shoal.ca.NodeRole;
import io.shoal.ca.RenewalSchedule;
import io.shoal.ca.RootCA;
import io.shoal.ca.tls.MutualTls;
import io.shoal.ca.tls.NodeKeyManager;
import io.shoal.daemon.api.Api;
import io.shoal.daemon.api.ApiServer;
import io.shoal.daemon.api.Backend;
import io.shoal.daemon.api.Router;
import io.shoal.daemon.api.SystemInfo;
import io.shoal.daemon.ops.Operations;
import io.shoal.daemon.swarm.AgentRuntime;
import io.shoal.daemon.swarm.InitRequest;
import io.shoal.daemon.swarm.JoinRequest;
import io.shoal.daemon.swarm.ManagerRuntime;
import io.shoal.daemon.swarm.NodeRuntime;
import io.shoal.daemon.swarm.NodeState;
import io.shoal.daemon.swarm.SwarmBootstrap;
import io.shoal.daemon.swarm.SwarmSpecs;
import io.shoal.daemon.tls.ApiCertificateIssuer;
import io.shoal.daemon.tls.TlsApi;
import io.shoal.manager.allocator.IngressNetwork;
import io.shoal.manager.controlapi.ControlApi;
import io.shoal.manager.controlapi.ResourceApi;
import io.shoal.raft.PeerStatus;
import io.shoal.rpc.JoinClient;
import io.shoal.rpc.JoinResult;
import io.shoal.store.ReadTx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node process: serves the API and, once the node is in a swarm (init, join, or a restart of
 * a node that was in one), runs its {@link NodeRuntime}. Membership survives restarts through
 * {@link NodeState}, the certificates and raft's data under the data root.
 *
 * <p>Threading: membership changes (init, join, leave, start, close) are serialised on this
 * object; reads of the current runtime are lock-free (a volatile field).
 */
public final class Daemon implements Backend, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Daemon.class);
  private static final String ALREADY = "This node is already part of a swarm. Use \"docker swarm leave\" to leave this swarm and join another one.";

  private final DaemonConfig config;
  private final Clock clock;
  private final SecureRandom random;
  private final Function<String, Executor> executors;
  private final String hostname;
  private final Function<X509Certificate, Instant> renewAt;
  /** Metrics and the console (--metrics-addr, --ui-addr); follows the node's membership. */
  private final Operations ops;
  /** The node's own engine, for every Engine API path that is not swarm-level (one socket for all). */
  private final io.shoal.daemon.engine.EngineProxy engine;
  private volatile NodeRuntime node;
  /** Why the swarm membership on disk could not be resumed (Docker's LocalNodeState "error"); null if none. */
  private volatile String swarmError;
  private ApiServer api;
  private Router router;
  /** The TLS API listener while this node is a manager and --tls-api-addr is set; else null. */
  private TlsApi tlsApi;

  /** @param executors makes this node's executor for a node id (docker or process, per the flags) */
  public Daemon(DaemonConfig config, Clock clock, SecureRandom random, Function<String, Executor> executors) {
    this(config, clock, random, executors, new RenewalSchedule(clock, random)::renewAt);
  }

  /**
   * @param renewAt when to renew a node certificate; {@link RenewalSchedule} in production, a
   *     shorter point in tests (certificates live at least an hour)
   */
  public Daemon(DaemonConfig config, Clock clock, SecureRandom random, Function<String, Executor> executors,
      Function<X509Certificate, Instant> renewAt) {
    this(config, clock, random, executors, renewAt, null);
  }

  /**
   * @param ops how operators see this node (metrics, console), made with {@link #runtime} as its
   *     view of the node; null for neither
   */
  public Daemon(DaemonConfig config, Clock clock, SecureRandom random, Function<String, Executor> executors,
      Function<X509Certificate, Instant> renewAt, Function<java.util.function.Supplier<NodeRuntime>, Operations> ops) {
    this.config = config;
    this.clock = clock;
    this.random = random;
    this.ops = ops == null ? Operations.none() : ops.apply(() -> node);
    this.executors = this.ops.executors(executors);
    this.renewAt = renewAt;
    this.hostname = config.hostname() != null ? config.hostname() : Hosts.localHostname();
    this.engine = "docker".equals(config.executor()) && config.engineHost() != null
        ? io.shoal.daemon.engine.EngineProxy.of(config.engineHost())
        : io.shoal.daemon.engine.EngineProxy.none("it runs tasks with the " + config.executor()
            + " executor (start the daemon with --executor docker --engine-host to serve containers, images, volumes and exec)");
  }

  @Override
  public io.shoal.daemon.engine.EngineProxy engine() {
    return engine;
  }

  private NodeRuntime.Context context() {
    return new NodeRuntime.Context(config.dataRoot(), hostname, config.dataPathOrLoopback(), executors, clock, random,
        config.raftPortOverride(), renewAt, this::roleChangedSoon);
  }

  public synchronized void start() throws Exception {
    Files.createDirectories(config.dataRoot());
    if (config.pidfile() != null) {
      Files.createDirectories(config.pidfile().toAbsolutePath().getParent());
      Files.writeString(config.pidfile(), Long.toString(ProcessHandle.current().pid()));
    }
    NodeState s = NodeState.read(config.dataRoot());
    if (s != null) {
      try {
        resume(s);
      } catch (CaException.InvalidCertificate e) {
        // Docker starts anyway with the swarm in "error", so that "swarm leave --force" can
        // clean up; the API must be up for that
        boolean expired = e.getMessage() != null && e.getMessage().contains("expired");
        swarmError = "this node's certificate cannot be used (" + e.getMessage() + "). "
            + (expired ? "A node offline longer than its certificate's life cannot renew it: " : "")
            + "leave the swarm (docker swarm leave --force) and join it again";
        log.error("swarm membership not resumed: {}", swarmError);
      }
    }
    router = Api.router(this, config.dataRoot().toString());
    ops.instrument(router);
    router.fallback(engine::handle);
    api = new ApiServer(config.hosts(), router);
    api.start();
    ops.start(node);
    startTlsApi();
    log.info("shoal daemon ready: data root {}, swarm {}", config.dataRoot(), swarmHeader());
  }

  /** Restarts the swarm parts after a daemon restart, from the state and certificates on disk. */
  private void resume(NodeState s) throws Exception {
    log.info("resuming swarm membership: node {} ({})", s.nodeID(), s.role());
    CertificateStore certs = new CertificateStore(config.dataRoot());
    RootCA ca = certs.readRootCA().orElseThrow(() -> new IOException("no root CA under " + certs.directory()));
    NodeCredentials creds = certs.readNode(ca, clock.instant())
        .orElseThrow(() -> new IOException("no node certificate under " + certs.directory()));
    NodeKeyManager keys = MutualTls.keyManager(creds);
    ManagerRuntime m = null;
    // the certificate decides, not the state file: a crash during a role change leaves them apart,
    // and the node runtime finishes the change (a worker certificate cannot talk to raft anyway)
    if (s.manager() && creds.identity().role() == NodeRole.MANAGER) {
      m = ManagerRuntime.restart(raftDir(), s.nodeID(), s.raftAddr(), NodeRuntime.raftTls(keys, ca, s.clusterID()), clock, random);
      // No wait for an election here: a follower used to wait 15 s for one before starting its
      // cluster port and agent, and the leader, whose grace for nodes to register is 3 heartbeats,
      // marked it down and replaced its running tasks. The agent retries until a leader serves it;
      // the leader's grace starts when its own cluster port serves (ManagerRuntime.clusterServing).
      // The only manager elects itself at once and has nobody to keep waiting: let the daemon come
      // up as a writable manager, as before.
      if (m.raft().members().equals(java.util.Set.of(s.nodeID()))) m.awaitLeaderServices(Duration.ofSeconds(15));
      log.info("manager restarted: raft replayed; {}", m.isLeader() ? "leading" : "the election goes on in the background");
    }
    node = NodeRuntime.start(context(), s, keys, ca, m);
  }

  private Path raftDir() {
    return config.dataRoot().resolve("raft");
  }

  private int raftPort(String listen) {
    return context().raftPort(listen);
  }

  // ---- swarm membership ----

  @Override
  public synchronized String init(InitRequest req) throws Exception {
    if (req.force() && node != null) return forceNewCluster();
    if (node != null || swarmError != null) throw new ShoalException.Unavailable(ALREADY);
    if (req.force()) throw new ShoalException.InvalidSpec("--force-new-cluster needs an existing manager's data: this node has none");
    SwarmBootstrap.checkNetworking(req);
    String listen = Addresses.listen(req.listenAddr(), config.listenAddr());
    String advertise = Addresses.advertise(req.advertiseAddr(), config.advertiseAddr(), listen);
    String nodeId = Ids.newId(random);
    String clusterId = Ids.newId(random);
    Cluster.SwarmSpec spec = SwarmSpecs.withDefaults(req.spec());
    String raftAddr = Addresses.host(advertise) + ":" + raftPort(listen);
    ManagerRuntime m = null;
    try {
      var pki = SwarmBootstrap.createPki(config.dataRoot(), nodeId, clusterId, spec, clock, random);
      NodeKeyManager keys = MutualTls.keyManager(pki.node());
      m = ManagerRuntime.bootstrap(raftDir(), nodeId, raftAddr, NodeRuntime.raftTls(keys, pki.ca(), clusterId), clock, random);
      Node.Description description = describe();
      String ingressId = Ids.newId(random);
      m.store().update(tx -> {
        // the gossip keys exist from the start, so the first session answers already carry them
        Cluster cluster = SwarmBootstrap.cluster(clusterId, spec, pki, req).withNetworkBootstrapKeys(
            io.shoal.manager.keymanager.GossipKeyPlanner.plan(null, clock.instant(), random).orElseThrow());
        tx.create(cluster);
        tx.create(SwarmBootstrap.managerNode(nodeId, description, advertise, advertise, req.availability()));
        // as Docker: the routing mesh's network exists from the start
        tx.create(IngressNetwork.create(ingressId, cluster, List.of()));
      });
      m.awaitLeaderServices(Duration.ofSeconds(30));
      NodeState s = new NodeState(nodeId, clusterId, "manager", listen, advertise, raftAddr, List.of(advertise));
      node = NodeRuntime.start(context(), s, keys, pki.ca(), m);
      s.write(config.dataRoot());
    } catch (Exception | Error e) {
      // no half-made swarm: undo everything init wrote
      if (node != null) node.close();
      else if (m != null) m.close();
      node = null;
      wipeSwarmData();
      throw e;
    }
    startTlsApi();
    ops.nodeChanged(node);
    log.info("swarm initialized: node {} is now a manager (cluster {})", nodeId, clusterId);
    return nodeId;
  }

  /**
   * {@code docker swarm init --force-new-cluster} on a manager of a swarm that lost quorum for
   * good: this node's copy of the state becomes a new one-manager raft group (RaftNode
   * #forceNewCluster), writable at once. Every other manager is taken out of the swarm (its node
   * object removed, its id in Cluster.RemovedNodes), so one that comes back is refused at the
   * cluster port and told to leave and join again; workers and every task carry on, and this
   * node's running tasks are adopted by its restarted agent. Returns this node's id, as init does.
   */
  private String forceNewCluster() throws Exception {
    NodeRuntime n = node;
    NodeState s = n.state();
    if (n.manager() == null || !s.manager()) {
      throw new ShoalException.InvalidSpec("--force-new-cluster needs a manager's data: this node is a worker");
    }
    log.warn("forcing a new cluster from this manager's state: node {} becomes the only manager", s.nodeID());
    stopTlsApi();
    n.close(false);
    node = null;
    CertificateStore certs = new CertificateStore(config.dataRoot());
    RootCA ca = certs.readRootCA().orElseThrow(() -> new IOException("no root CA under " + certs.directory()));
    NodeCredentials creds = certs.readNode(ca, clock.instant())
        .orElseThrow(() -> new IOException("no node certificate under " + certs.directory()));
    NodeKeyManager keys = MutualTls.keyManager(creds);
    ManagerRuntime m = ManagerRuntime.forceNewCluster(raftDir(), s.nodeID(), s.raftAddr(),
        NodeRuntime.raftTls(keys, ca, s.clusterID()), clock, random);
    try {
      m.store().update(tx -> {
        var cluster = tx.cluster();
        for (Node other : tx.nodes()) {
          if (other.id().equals(s.nodeID()) || !"manager".equals(other.spec().role())) continue;
          tx.delete(io.shoal.api.model.StoreObject.Kind.NODE, other.id());
          if (cluster != null) cluster = cluster.withRemovedNode(other.id());
        }
        if (cluster != null) tx.update(cluster);
      });
      m.awaitLeaderServices(Duration.ofSeconds(30));
      NodeState next = new NodeState(s.nodeID(), s.clusterID(), s.role(), s.listenAddr(), s.advertiseAddr(), s.raftAddr(),
          List.of(s.advertiseAddr()));
      next.write(config.dataRoot());
      node = NodeRuntime.start(context(), next, keys, ca, m);
    } catch (Exception | Error e) {
      if (node == null) m.close();
      throw e;
    }
    startTlsApi();
    log.warn("forced a new cluster: node {} is the only manager", s.nodeID());
    return s.nodeID();
  }

  private Node.Description describe() {
    Executor probe = executors.apply("probe");
    try {
      Node.Description d = probe.describe();
      return new Node.Description(hostname, d.platform(), d.resources(), d.engine(), d.tlsInfo());
    } finally {
      probe.close();
    }
  }

  /**
   * Joins an existing swarm with a token: the CA is fetched and checked against the token, this
   * node gets a certificate with the token's role, a manager joins raft and catches up. Any
   * failure leaves nothing behind: no state, no certificates, no raft data.
   */
  @Override
  public synchronized void join(JoinRequest req) throws Exception {
    if (node != null || swarmError != null) throw new ShoalException.Unavailable(ALREADY);
    if (req.joinToken() == null || req.joinToken().isBlank()) throw new ShoalException.InvalidSpec("a join token is required");
    String listen = Addresses.listen(req.listenAddr(), config.listenAddr());
    String advertise = Addresses.advertise(req.advertiseAddr(), config.advertiseAddr(), listen);
    ManagerRuntime m = null;
    try {
      JoinResult joined = JoinClient.join(req.joinToken(), req.remoteAddrs(), advertise, listen, req.availability(), random, clock);
      CertificateStore certs = new CertificateStore(config.dataRoot());
      certs.writeRootCA(joined.rootCA());
      certs.writeNode(joined.credentials());
      String nodeId = joined.response().nodeId();
      String clusterId = joined.credentials().identity().clusterId();
      boolean manager = "manager".equals(joined.response().role());
      NodeKeyManager keys = MutualTls.keyManager(joined.credentials());
      String raftAddr = Addresses.host(advertise) + ":" + raftPort(listen);
      List<String> managers = new ArrayList<>(joined.response().managers());
      if (manager) {
        m = ManagerRuntime.join(raftDir(), nodeId, raftAddr, joined.response().raftGroupId(),
            joined.response().raftDataKeyBytes(), NodeRuntime.raftTls(keys, joined.rootCA(), clusterId), clock, random);
        if (!managers.contains(advertise)) managers.add(advertise);
      }
      NodeState s = new NodeState(nodeId, clusterId, joined.response().role(), listen, advertise, manager ? raftAddr : null, managers);
      node = NodeRuntime.start(context(), s, keys, joined.rootCA(), m);
      if (manager) {
        // ask the managers that admitted us, never our own, still empty, server
        new io.shoal.rpc.ManagerClient(node.cluster().channels(), joined.response().managers()).addManager(nodeId, raftAddr);
      }
      s.write(config.dataRoot());
      log.info("joined swarm {} as {} {}", clusterId, joined.response().role(), nodeId);
    } catch (Exception | Error e) {
      if (node != null) node.close(true);
      else if (m != null) m.close();
      node = null;
      wipeSwarmData();
      throw e;
    }
    startTlsApi();
    ops.nodeChanged(node);
  }

  @Override
  public synchronized void leave(boolean force) throws Exception {
    NodeRuntime n = node;
    if (n == null && swarmError != null) {
      // membership that could not be resumed: leaving is the way out, and there is nothing to stop
      if (!force) throw new ShoalException.Unavailable("This node's swarm membership is in error (" + swarmError + "). Use `--force` to leave.");
      wipeSwarmData();
      swarmError = null;
      log.info("left the swarm (its membership was in error)");
      return;
    }
    if (n == null) throw new ShoalException.Unavailable("This node is not part of a swarm");
    if (n.manager() != null && !force) {
      throw new ShoalException.Unavailable("You are attempting to leave the swarm on a node that is participating as a manager. "
          + "Removing the last manager erases all current state of the swarm. Use `--force` to ignore this message.");
    }
    if (n.manager() != null && n.manager().peers().size() > 1) {
      try {
        n.manager().raft().removePeer(n.state().nodeID());
      } catch (RuntimeException e) {
        log.warn("could not remove this manager from raft before leaving: {}", e.toString());
      }
    }
    stopTlsApi();
    n.close(true);
    node = null;
    ops.nodeChanged(null);
    wipeSwarmData();
    log.info("left the swarm");
  }

  // ---- the TLS API (--tls-api-addr) ----

  /**
   * Starts the TLS API listener if it is configured and this node is a manager: only a manager
   * holds the CA key its server certificate is issued with, and before the swarm exists there is
   * no CA at all — so the port stays closed until then. A listener that cannot start (port in use)
   * is logged and leaves the swarm membership as it is: the unix socket still serves.
   */
  private void startTlsApi() {
    if (config.tlsApiAddr() == null || tlsApi != null || router == null) return;
    NodeRuntime n = node;
    if (n == null) {
      log.info("TLS API on {}: starts once this node is a swarm manager (swarm init or join as manager)", config.tlsApiAddr());
      return;
    }
    if (n.manager() == null) {
      log.info("TLS API on {}: not served, this node is a worker (only managers serve it)", config.tlsApiAddr());
      return;
    }
    NodeState s = n.state();
    try {
      tlsApi = TlsApi.start(TlsApi.Address.parse(config.tlsApiAddr()), router,
          new ApiCertificateIssuer(n.manager().store(), clock, random), s.nodeID(), s.clusterID(), hostname,
          List.of(Addresses.host(s.advertiseAddr()), Addresses.host(s.listenAddr()), config.dataPathOrLoopback()), clock);
    } catch (Exception e) {
      log.error("TLS API on {} could not start: {}", config.tlsApiAddr(), e.toString());
    }
  }

  /**
   * A promotion or demotion took effect in the node runtime: open or close the TLS API to match.
   * Handed to a thread of its own: the runtime calls this holding its lock, and this daemon's lock
   * may be held by a leave that is waiting for that runtime to close.
   */
  private void roleChangedSoon() {
    NodeRuntime changed = node;
    Thread t = new Thread(() -> {
      synchronized (this) {
        if (node != changed || changed == null) return; // left or replaced meanwhile
        if (changed.manager() != null) startTlsApi();
        else stopTlsApi();
        ops.nodeChanged(changed);
      }
    }, "shoal-role-change");
    t.setDaemon(true);
    t.start();
  }

  private void stopTlsApi() {
    if (tlsApi == null) return;
    try {
      tlsApi.close();
    } catch (Exception e) {
      log.warn("TLS API stop: {}", e.toString());
    }
    tlsApi = null;
  }

  /** The TLS API's bound port (tests bind port 0), or -1 when it is not listening. */
  public synchronized int tlsApiPort() {
    return tlsApi == null ? -1 : tlsApi.port();
  }

  @Override
  public ApiCertificateIssuer.ClientCertificate issueClientCertificate(ApiCertificateIssuer.ClientRequest request) {
    return new ApiCertificateIssuer(control().store(), clock, random).client(request);
  }

  private void wipeSwarmData() throws IOException {
    for (String d : List.of("swarm", "raft", "certificates", "agent")) {
      Path p = config.dataRoot().resolve(d);
      if (!Files.exists(p)) continue;
      try (Stream<Path> walk = Files.walk(p)) {
        for (Path f : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
      }
    }
  }

  // ---- Backend ----

  @Override
  public String swarmHeader() {
    NodeRuntime n = node;
    if (n == null) return swarmError != null ? "error" : "inactive";
    return "active/" + (n.manager() != null ? "manager" : "worker");
  }

  @Override
  public SystemInfo.Swarm swarmInfo() {
    NodeRuntime n = node;
    if (n == null && swarmError != null) return new SystemInfo.Swarm("", "", "error", false, swarmError, null, 0, 0, null);
    if (n == null) return new SystemInfo.Swarm("", "", "inactive", false, "", null, 0, 0, null);
    NodeState s = n.state();
    String addr = Addresses.host(s.advertiseAddr());
    ManagerRuntime m = n.manager();
    if (m == null) {
      List<SystemInfo.Peer> remotes = s.remoteManagers().stream().map(a -> new SystemInfo.Peer("", a)).toList();
      return new SystemInfo.Swarm(s.nodeID(), addr, "active", false, "", remotes, null, null, null);
    }
    return m.store().view(tx -> {
      List<Node> nodes = tx.nodes();
      List<Node> managers = nodes.stream().filter(x -> "manager".equals(x.spec().role())).toList();
      Cluster c = tx.cluster();
      List<SystemInfo.Peer> peers = managers.stream()
          .map(x -> new SystemInfo.Peer(x.id(), x.managerStatus() == null ? null : x.managerStatus().addr())).toList();
      Cluster info = c == null ? null : new Cluster(c.id(), c.version(), c.createdAt(), c.updatedAt(), c.spec(), c.tlsInfo(),
          c.rootRotationInProgress(), c.dataPathPort(), c.defaultAddrPool(), c.subnetSize(), null, null);
      return new SystemInfo.Swarm(s.nodeID(), addr, "active", true, "", peers, nodes.size(), managers.size(), info);
    });
  }

  @Override
  public String hostname() {
    return hostname;
  }

  @Override
  public String engineVersion() {
    return SystemInfo.VERSION;
  }

  @Override
  public Cluster swarm() {
    Cluster c = control().store().view(ReadTx::cluster);
    if (c == null) throw new ShoalException.NotAManager();
    return c;
  }

  @Override
  public void updateSwarm(long version, Cluster.SwarmSpec spec, boolean rotateWorker, boolean rotateManager) {
    control().store().update(tx -> {
      Cluster c = tx.cluster();
      if (c.version().index() != version) throw new ShoalException.SequenceConflict("update out of sequence");
      Cluster updated = c.withSpec(SwarmSpecs.update(spec));
      if (rotateWorker || rotateManager) {
        var tokens = io.shoal.ca.JoinTokens.parse(c.joinTokens().worker(), c.joinTokens().manager());
        if (rotateWorker) tokens = tokens.rotate(io.shoal.ca.NodeRole.WORKER, random);
        if (rotateManager) tokens = tokens.rotate(io.shoal.ca.NodeRole.MANAGER, random);
        updated = updated.withJoinTokens(new Cluster.JoinTokens(tokens.worker().value(), tokens.manager().value()));
      }
      tx.update(updated);
    });
  }

  private ManagerRuntime managerOrFail() {
    NodeRuntime n = node;
    if (n == null || n.manager() == null) throw new ShoalException.NotAManager();
    return n.manager();
  }

  @Override
  public ControlApi control() {
    return managerOrFail().control();
  }

  @Override
  public ResourceApi resources() {
    return new ResourceApi(control().store(), clock, random); // stateless over the store: cheap to make per call
  }

  @Override
  public Node withManagerStatus(Node n) {
    NodeRuntime rt = node;
    ManagerRuntime m = rt == null ? null : rt.manager();
    if (m == null || !"manager".equals(n.spec().role())) return n.withManagerStatus(null);
    String addr = n.managerStatus() == null ? null : n.managerStatus().addr();
    for (PeerStatus p : m.peers()) {
      if (p.id().equals(n.id())) {
        String reach = p.leader() || p.reachability() == PeerStatus.Reachability.REACHABLE ? "reachable"
            : p.reachability() == PeerStatus.Reachability.UNREACHABLE ? "unreachable" : "unknown";
        return n.withManagerStatus(new Node.ManagerStatus(p.leader() ? Boolean.TRUE : null, reach, addr));
      }
    }
    return n.withManagerStatus(new Node.ManagerStatus(null, "unknown", addr));
  }

  @Override
  public io.shoal.daemon.events.ClusterEvents events() {
    ManagerRuntime m = manager();
    return m == null ? null : m.events();
  }

  @Override
  public TaskLogs taskLogs() {
    NodeRuntime n = node;
    if (n == null) throw new ShoalException.NotAManager();
    return n::logs;
  }

  /** The metrics listener's port (tests bind port 0), or -1. */
  public int metricsPort() {
    return ops.metricsPort();
  }

  /** The console listener's port (tests bind port 0), or -1. */
  public int uiPort() {
    return ops.uiPort();
  }

  /** The API port when tests bind tcp://127.0.0.1:0. */
  public int apiPort() {
    return api == null ? -1 : api.tcpPort();
  }

  public ManagerRuntime manager() {
    NodeRuntime n = node;
    return n == null ? null : n.manager();
  }

  public AgentRuntime agent() {
    NodeRuntime n = node;
    return n == null ? null : n.agent();
  }

  /** This node's network view as its consumers get it, or null outside a swarm or before the first. */
  public io.shoal.api.net.NodeNetworkView networkView() {
    NodeRuntime n = node;
    return n == null ? null : n.networkViews().latest();
  }

  @Override
  public synchronized void close() {
    ops.close();
    stopTlsApi();
    try {
      if (api != null) api.close();
    } catch (Exception e) {
      log.warn("API stop: {}", e.toString());
    }
    if (node != null) node.close(false);
    node = null;
    try {
      if (config.pidfile() != null) Files.deleteIfExists(config.pidfile());
    } catch (IOException e) {
      log.warn("pidfile: {}", e.toString());
    }
    log.info("shoal daemon stopped");
  }
}
