package io.shoal.daemon;

import io.shoal.agent.exec.Executor;
import io.shoal.api.dispatch.TaskLogs;
import io.shoal.api.error.ShoalException;
import io.shoal.api.model.Cluster;
import io.shoal.api.model.Ids;
import io.shoal.api.model.Node;
import io.shoal.daemon.api.Api;
import io.shoal.daemon.api.ApiServer;
import io.shoal.daemon.api.Backend;
import io.shoal.daemon.api.SystemInfo;
import io.shoal.daemon.swarm.AgentRuntime;
import io.shoal.daemon.swarm.InitRequest;
import io.shoal.daemon.swarm.JoinRequest;
import io.shoal.daemon.swarm.LeaderDispatcher;
import io.shoal.daemon.swarm.ManagerRuntime;
import io.shoal.daemon.swarm.MeshWatcher;
import io.shoal.daemon.swarm.NodeState;
import io.shoal.daemon.swarm.SwarmBootstrap;
import io.shoal.daemon.swarm.SwarmSpecs;
import io.shoal.manager.controlapi.ControlApi;
import io.shoal.manager.controlapi.ResourceApi;
import io.shoal.network.mesh.RoutingMesh;
import io.shoal.raft.PeerStatus;
import io.shoal.store.ReadTx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node process: serves the API, and — once the node is in a swarm — runs the manager (if
 * it is one), the agent and the routing mesh. Its swarm membership survives restarts through
 * {@link NodeState} and raft's data under the data root.
 *
 * <p>Threading: swarm membership changes (init, join, leave, start, close) are serialised on this
 * object; reads of the current runtimes are lock-free (volatile fields).
 */
public final class Daemon implements Backend, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Daemon.class);

  private final DaemonConfig config;
  private final Clock clock;
  private final SecureRandom random;
  private final Function<String, Executor> executors;
  private final String hostname;
  private volatile NodeState state;
  private volatile ManagerRuntime manager;
  private volatile AgentRuntime agent;
  private volatile RoutingMesh mesh;
  private volatile MeshWatcher meshWatcher;
  private ApiServer api;

  /**
   * @param executors makes this node's executor for a node id (docker or process, per the flags)
   */
  public Daemon(DaemonConfig config, Clock clock, SecureRandom random, Function<String, Executor> executors) {
    this.config = config;
    this.clock = clock;
    this.random = random;
    this.executors = executors;
    this.hostname = config.hostname() != null ? config.hostname() : Hosts.localHostname();
  }

  public synchronized void start() throws Exception {
    Files.createDirectories(config.dataRoot());
    if (config.pidfile() != null) {
      Files.createDirectories(config.pidfile().toAbsolutePath().getParent());
      Files.writeString(config.pidfile(), Long.toString(ProcessHandle.current().pid()));
    }
    NodeState s = NodeState.read(config.dataRoot());
    if (s != null) resume(s);
    api = new ApiServer(config.hosts(), Api.router(this, config.dataRoot().toString()));
    api.start();
    log.info("shoal daemon ready: data root {}, swarm {}", config.dataRoot(), swarmHeader());
  }

  /** Restarts the swarm parts after a daemon restart. */
  private void resume(NodeState s) throws Exception {
    log.info("resuming swarm membership: node {} ({})", s.nodeID(), s.role());
    if (s.manager()) {
      manager = ManagerRuntime.restart(raftDir(), s.nodeID(), s.raftAddr(), clock, random);
      if (!manager.awaitLeaderServices(Duration.ofSeconds(30))) log.warn("no leader after restart yet; continuing");
    }
    state = s;
    startWorkerSide(s);
  }

  private void startWorkerSide(NodeState s) {
    if (manager == null) throw new ShoalException.Unavailable("workers without a local manager join in the multi-node release");
    Executor ex = executors.apply(s.nodeID());
    agent = new AgentRuntime(s.nodeID(), hostOf(s.advertiseAddr()), hostname, config.dataRoot().resolve("agent"),
        new LeaderDispatcher(() -> manager == null ? null : manager.dispatcher()), ex, clock, random);
    agent.start();
    // published ports listen where the cluster port does: all interfaces by default, as Swarm
    mesh = new RoutingMesh(Addresses.host(s.listenAddr()));
    meshWatcher = new MeshWatcher(manager.store(), mesh, s.nodeID());
  }

  private Path raftDir() {
    return config.dataRoot().resolve("raft");
  }

  // ---- swarm membership ----

  @Override
  public synchronized String init(InitRequest req) throws Exception {
    if (state != null) {
      throw new ShoalException.Unavailable("This node is already part of a swarm. Use \"docker swarm leave\" to leave this swarm and join another one.");
    }
    if (req.force()) throw new ShoalException.InvalidSpec("--force-new-cluster needs an existing manager's data: this node has none");
    String listen = Addresses.listen(req.listenAddr(), config.listenAddr());
    String advertise = Addresses.advertise(req.advertiseAddr(), config.advertiseAddr(), listen);
    String nodeId = Ids.newId(random);
    String clusterId = Ids.newId(random);
    Cluster.SwarmSpec spec = SwarmSpecs.withDefaults(req.spec());
    var pki = SwarmBootstrap.createPki(config.dataRoot(), nodeId, clusterId, spec, clock, random);
    String raftAddr = hostOf(advertise) + ":" + raftPort(listen);
    ManagerRuntime m = ManagerRuntime.bootstrap(raftDir(), nodeId, raftAddr, clock, random);
    try {
      Executor probe = executors.apply(nodeId);
      Node.Description description = describe(probe);
      probe.close();
      m.store().update(tx -> {
        tx.create(SwarmBootstrap.cluster(clusterId, spec, pki, req));
        tx.create(SwarmBootstrap.managerNode(nodeId, description, hostOf(advertise), advertise, req.availability()));
      });
      NodeState s = new NodeState(nodeId, clusterId, "manager", listen, advertise, raftAddr, List.of(advertise));
      s.write(config.dataRoot());
      manager = m;
      m.awaitLeaderServices(Duration.ofSeconds(30));
      state = s;
      startWorkerSide(s);
    } catch (Exception | Error e) {
      // no half-made swarm: undo everything init wrote
      m.close();
      manager = null;
      wipeSwarmData();
      throw e;
    }
    log.info("swarm initialized: node {} is now a manager (cluster {})", nodeId, clusterId);
    return nodeId;
  }

  private Node.Description describe(Executor ex) {
    Node.Description d = ex.describe();
    return new Node.Description(hostname, d.platform(), d.resources(), d.engine(), d.tlsInfo());
  }

  private int raftPort(String listen) {
    if (config.raftPortOverride() != null) return config.raftPortOverride();
    return Addresses.port(listen) + 1;
  }

  @Override
  public void join(JoinRequest request) {
    if (state != null) {
      throw new ShoalException.Unavailable("This node is already part of a swarm. Use \"docker swarm leave\" to leave this swarm and join another one.");
    }
    throw new ShoalException.Unavailable("joining an existing swarm is not available in this build yet");
  }

  @Override
  public synchronized void leave(boolean force) throws Exception {
    NodeState s = state;
    if (s == null) throw new ShoalException.Unavailable("This node is not part of a swarm");
    if (s.manager() && !force) {
      throw new ShoalException.Unavailable("You are attempting to leave the swarm on a node that is participating as a manager. "
          + "Removing the last manager erases all current state of the swarm. Use `--force` to ignore this message.");
    }
    stopSwarmParts(true);
    wipeSwarmData();
    state = null;
    log.info("left the swarm");
  }

  private void stopSwarmParts(boolean removeTasks) {
    if (meshWatcher != null) meshWatcher.close();
    if (mesh != null) mesh.close();
    meshWatcher = null;
    mesh = null;
    if (agent != null) {
      // on leave the executor must still be open to remove the containers
      if (removeTasks) agent.closeAndRemoveTasks();
      else agent.close();
    }
    agent = null;
    if (manager != null) manager.close();
    manager = null;
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
    NodeState s = state;
    if (s == null) return "inactive";
    return "active/" + (s.manager() ? "manager" : "worker");
  }

  @Override
  public SystemInfo.Swarm swarmInfo() {
    NodeState s = state;
    if (s == null) return new SystemInfo.Swarm("", "", "inactive", false, "", null, 0, 0, null);
    ManagerRuntime m = manager;
    List<SystemInfo.Peer> remotes = List.of(new SystemInfo.Peer(s.nodeID(), s.advertiseAddr()));
    if (m == null) return new SystemInfo.Swarm(s.nodeID(), hostOf(s.advertiseAddr()), "active", false, "", remotes, null, null, null);
    return m.store().view(tx -> {
      List<Node> nodes = tx.nodes();
      int managers = (int) nodes.stream().filter(n -> "manager".equals(n.spec().role())).count();
      Cluster c = tx.cluster();
      List<SystemInfo.Peer> peers = nodes.stream().filter(n -> "manager".equals(n.spec().role()))
          .map(n -> new SystemInfo.Peer(n.id(), n.managerStatus() == null ? null : n.managerStatus().addr())).toList();
      Cluster info = c == null ? null : new Cluster(c.id(), c.version(), c.createdAt(), c.updatedAt(), c.spec(), c.tlsInfo(),
          c.rootRotationInProgress(), c.dataPathPort(), c.defaultAddrPool(), c.subnetSize(), null, null);
      return new SystemInfo.Swarm(s.nodeID(), hostOf(s.advertiseAddr()), "active", true, "", peers, nodes.size(), managers, info);
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
      Cluster.SwarmSpec next = SwarmSpecs.update(spec);
      Cluster updated = c.withSpec(next);
      if (rotateWorker || rotateManager) {
        var tokens = io.shoal.ca.JoinTokens.parse(c.joinTokens().worker(), c.joinTokens().manager());
        if (rotateWorker) tokens = tokens.rotate(io.shoal.ca.NodeRole.WORKER, random);
        if (rotateManager) tokens = tokens.rotate(io.shoal.ca.NodeRole.MANAGER, random);
        updated = updated.withJoinTokens(new Cluster.JoinTokens(tokens.worker().value(), tokens.manager().value()));
      }
      tx.update(updated);
    });
  }

  @Override
  public ControlApi control() {
    ManagerRuntime m = manager;
    if (m == null) throw new ShoalException.NotAManager();
    return m.control();
  }

  @Override
  public ResourceApi resources() {
    return new ResourceApi(control().store(), clock, random); // stateless over the store: cheap to make per call
  }

  @Override
  public Node withManagerStatus(Node n) {
    ManagerRuntime m = manager;
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
  public TaskLogs taskLogs() {
    AgentRuntime a = agent;
    if (a == null) throw new ShoalException.Unavailable("this node runs no agent");
    return a.logs();
  }

  static String hostOf(String addr) {
    return Addresses.host(addr);
  }

  /** The API port when tests bind tcp://127.0.0.1:0. */
  public int apiPort() {
    return api == null ? -1 : api.tcpPort();
  }

  public ManagerRuntime manager() {
    return manager;
  }

  public AgentRuntime agent() {
    return agent;
  }

  @Override
  public synchronized void close() {
    try {
      if (api != null) api.close();
    } catch (Exception e) {
      log.warn("API stop: {}", e.toString());
    }
    stopSwarmParts(false);
    try {
      if (config.pidfile() != null) Files.deleteIfExists(config.pidfile());
    } catch (IOException e) {
      log.warn("pidfile: {}", e.toString());
    }
    log.info("shoal daemon stopped");
  }
}
