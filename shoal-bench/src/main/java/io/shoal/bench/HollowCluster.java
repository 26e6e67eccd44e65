package io.shoal.bench;

import io.shoal.agent.Agent;
import io.shoal.agent.AgentConfig;
import io.shoal.agent.exec.HollowExecutor;
import io.shoal.api.dispatch.Dispatcher;
import io.shoal.api.error.ShoalException;
import io.shoal.api.model.Cluster;
import io.shoal.api.model.Node;
import io.shoal.api.model.Version;
import io.shoal.ca.NodeCertificates;
import io.shoal.ca.NodeCredentials;
import io.shoal.ca.NodeIdentity;
import io.shoal.ca.NodeRole;
import io.shoal.ca.RootCA;
import io.shoal.ca.tls.MutualTls;
import io.shoal.daemon.swarm.LeaderServices;
import io.shoal.manager.controlapi.ControlApi;
import io.shoal.raft.RaftConfig;
import io.shoal.raft.RaftNode;
import io.shoal.rpc.ClusterChannels;
import io.shoal.rpc.ClusterServer;
import io.shoal.rpc.RemoteDispatcher;
import io.shoal.store.MemoryStore;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Stream;

/**
 * The hollow setup shared by {@code hollow} and {@code control-plane}: {@code managers} real
 * {@link RaftNode}s on loopback (one {@link MemoryStore} each), the leader running the real
 * leader services ({@link LeaderServices}: orchestrator, allocator, scheduler, dispatcher) behind
 * a real {@link ClusterServer}, and {@code nodes} agents in this JVM, each with its own worker
 * certificate from a real {@link RootCA}, its own {@link ClusterChannels} (one mutual-TLS
 * connection) and {@link RemoteDispatcher} session, and a {@link HollowExecutor}.
 *
 * <p>Why one channel set per agent although several could share one: the dispatcher takes the
 * node id from the TLS peer certificate's CN, so a shared connection would be one node. What is
 * shared is what a real deployment would not duplicate per node either: the Netty event loops
 * (gRPC's shared group), a callback pool and the agents' timer pool.
 *
 * <p>Threading: build and close from one thread; {@link #leaderStore} is thread-safe.
 */
public final class HollowCluster implements AutoCloseable {
  private final Clock clock = Clock.systemUTC();
  private final SecureRandom secure = new SecureRandom();
  private final String clusterId = "benchcluster00001";
  private final RootCA ca = RootCA.create(clock, secure);
  private final Path root;
  private final List<Manager> managers = new ArrayList<>();
  private final List<Agent> agents = new ArrayList<>();
  private final List<ClusterChannels> channels = new ArrayList<>();
  private final List<NodeCredentials> credentials = new ArrayList<>();
  private final ScheduledExecutorService agentTimers;
  private final ExecutorService callbacks = Executors.newFixedThreadPool(4, r -> {
    Thread t = new Thread(r, "bench-agent-rpc");
    t.setDaemon(true);
    return t;
  });

  public HollowCluster() {
    try {
      this.root = Files.createTempDirectory("shoal-bench-hollow");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // agents block on unary calls (register, heartbeat, status) from these threads: enough of
    // them that one slow call does not hold up every node's heartbeat, few enough to stay light.
    // 8 were too few for 1,000 nodes: registrations (seconds each while 1,000 TLS handshakes
    // compete for the CPU) held all 8, so registered nodes' heartbeats waited here, in the
    // harness, and the leader marked them DOWN (128 DOWN markings at 1,000 nodes; 8 with 128 threads)
    this.agentTimers = Executors.newScheduledThreadPool(Integer.getInteger("shoal.bench.agentThreads", 128), r -> {
      Thread t = new Thread(r, "bench-agents");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * One manager: its raft node and store, its cluster port, and the leader services while it
   * leads. Every manager serves the dispatcher API; a follower answers "unavailable" with the
   * leader's address as hint, so agents move to the leader on their own (as a daemon's would).
   */
  public final class Manager implements AutoCloseable {
    final String id;
    final RaftNode raft;
    final MemoryStore store;
    final ControlApi control;
    ClusterServer server;
    private volatile LeaderServices services;
    private volatile boolean closed;

    Manager(String id, RaftNode raft, MemoryStore store) {
      this.id = id;
      this.raft = raft;
      this.store = store;
      this.control = new ControlApi(store, clock, new SplittableRandom(id.hashCode()));
      raft.onLeadershipChange(this::leadershipChanged);
    }

    private synchronized void leadershipChanged(boolean leads) {
      if (closed) return;
      if (leads && services == null && store.view(tx -> tx.cluster()) != null) {
        // not a fixed seed: a new leader (or this one again) would make the same task ids as the
        // last one did and fail every create with "already exists"
        services = new LeaderServices(store, clock, new SplittableRandom());
      } else if (!leads && services != null) {
        services.close();
        services = null;
      }
    }

    /** The leader services, started now if this manager leads (after the Cluster object exists). */
    synchronized void ensureServices() {
      leadershipChanged(raft.isLeader());
    }

    Dispatcher dispatcher() {
      LeaderServices l = services;
      if (l == null) throw new ShoalException.Unavailable("manager " + id + " is not the leader");
      return l.dispatcher();
    }

    public boolean leads() {
      return services != null && raft.isLeader();
    }

    public ControlApi control() {
      return control;
    }

    /** Agents with a live session on this manager's dispatcher (0 unless it leads). */
    public int sessions() {
      LeaderServices l = services;
      return l == null ? 0 : l.dispatcher().sessionCount();
    }

    public MemoryStore store() {
      return store;
    }

    public String id() {
      return id;
    }

    String clusterAddr() {
      return "127.0.0.1:" + server.port();
    }

    /** Stops this manager as a crash would look to the others: port, leader services, raft. */
    @Override
    public void close() {
      synchronized (this) {
        closed = true;
        if (services != null) services.close();
        services = null;
      }
      if (server != null) server.close();
      raft.close();
    }
  }

  /** Starts {@code managers} raft managers, each with its cluster port; m1 leads first and runs the leader services. */
  public void startManagers(int count, Duration heartbeat) throws Exception {
    RaftConfig config = RaftConfig.defaults();
    Manager first = manager("m1", freeAddress(), config);
    first.raft.bootstrap();
    for (int i = 2; i <= count; i++) {
      String addr = freeAddress();
      Manager m = manager("m" + i, addr, config);
      m.raft.join(first.raft.groupId(), first.raft.dataKey().export());
      first.raft.addPeer("m" + i, addr);
    }
    waitFor(first.raft::isLeader, Duration.ofSeconds(30), "m1 to lead");
    Cluster.SwarmSpec d = Cluster.SwarmSpec.defaults();
    Cluster.SwarmSpec spec = new Cluster.SwarmSpec(d.name(), d.labels(), d.orchestration(), d.raft(),
        new Cluster.Dispatcher(heartbeat.toNanos()), d.caConfig(), null, null);
    first.store.update(tx -> tx.create(new Cluster(clusterId, Version.ZERO, null, null, spec, null, false, null, null, null, null, null)));
    for (Manager m : managers) {
      Manager self = m;
      m.server = ClusterServer.builder("127.0.0.1", 0, issue(m.id, NodeRole.MANAGER), ca)
          .dispatcher(new ForwardingDispatcher(self::dispatcher))
          .leaderAddress(this::leaderClusterAddr)
          .build().start();
    }
    first.ensureServices();
  }

  private String leaderClusterAddr() {
    for (Manager m : managers) {
      if (!m.closed && m.leads()) return m.clusterAddr();
    }
    return null;
  }

  private Manager manager(String id, String addr, RaftConfig config) {
    MemoryStore s = new MemoryStore(clock);
    RaftNode n = new RaftNode(id, addr, root.resolve(id), s, null, clock, config);
    s.setProposer(n);
    Manager m = new Manager(id, n, s);
    managers.add(m);
    return m;
  }

  /**
   * Issues {@code n} worker certificates, one per node id, signed by the cluster's root CA (in
   * parallel: signatures dominate). With {@code sharedKey} every node's certificate carries the
   * same key pair: the server still checks one distinct certificate per connection, but the
   * benchmark skips n key generations and CSR signatures, which on this 2-core machine cost more
   * than the cluster start itself. Returns the seconds it took.
   */
  public double issueCertificates(int n, boolean sharedKey) throws Exception {
    long t0 = System.nanoTime();
    int cores = Runtime.getRuntime().availableProcessors();
    ExecutorService pool = Executors.newFixedThreadPool(cores);
    try {
      KeyPair shared = sharedKey ? NodeCertificates.generateKeyPair(secure) : null;
      String sharedCsr = sharedKey ? NodeCertificates.createCsr(shared, secure) : null;
      List<Future<NodeCredentials>> fs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String id = nodeId(i);
        fs.add(pool.submit(() -> sharedKey ? issue(id, NodeRole.WORKER, shared, sharedCsr) : issue(id, NodeRole.WORKER)));
      }
      for (Future<NodeCredentials> f : fs) credentials.add(f.get());
    } finally {
      pool.shutdown();
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  /** Starts an agent for each issued certificate (see {@link #issueCertificates}). */
  public void startAgents(Duration startLatency) {
    List<String> addrs = managers.stream().map(Manager::clusterAddr).toList();
    List<Agent> fresh = new ArrayList<>();
    for (int i = agents.size(); i < credentials.size(); i++) {
      String id = nodeId(i);
      ClusterChannels ch = new ClusterChannels(MutualTls.keyManager(credentials.get(i)), ca, callbacks);
      channels.add(ch);
      RemoteDispatcher remote = new RemoteDispatcher(ch, addrs);
      Agent a = new Agent(AgentConfig.defaults(id, "127.0.0.1", null), remote,
          new HollowExecutor(id, clock, agentTimers, startLatency), clock, new SplittableRandom(i), agentTimers);
      agents.add(a);
      fresh.add(a);
    }
    // Started by a thread that keeps at most MAX_CONNECTING agents connecting at once. All at once,
    // the 1,000 blocking connects (TLS handshake + register, seconds each on this CPU) queued in
    // agentTimers ahead of the heartbeats of nodes already registered, so those nodes missed 3
    // heartbeats in the harness and the leader marked them DOWN. Each real node has its own threads.
    Thread starter = new Thread(() -> {
      List<Agent> connecting = new ArrayList<>();
      for (Agent a : fresh) {
        while (true) {
          connecting.removeIf(Agent::connected);
          if (connecting.size() < MAX_CONNECTING) break;
          try {
            Thread.sleep(5);
          } catch (InterruptedException e) {
            return;
          }
        }
        a.start();
        connecting.add(a);
      }
    }, "bench-agent-starter");
    starter.setDaemon(true);
    starter.start();
  }

  /** Agents connecting at once while starting many; half the agent threads, so heartbeats always get some. */
  static final int MAX_CONNECTING = Integer.getInteger("shoal.bench.maxConnecting", 64);

  /** {@link #issueCertificates} (own key per node) then {@link #startAgents(Duration)}. */
  public void startAgents(int n, Duration startLatency) throws Exception {
    issueCertificates(n, false);
    startAgents(startLatency);
  }

  static String nodeId(int i) {
    return String.format("hollow%05d", i);
  }

  /**
   * Waits until {@code n} nodes have each been READY at least once (registered), false on
   * timeout. Not "all READY at one instant": on a loaded machine a node whose heartbeat came late
   * is marked DOWN and re-registers, which is the dispatcher working, not a node missing.
   */
  public boolean awaitReady(int n, Duration timeout) throws InterruptedException {
    java.util.Set<String> seen = new java.util.HashSet<>();
    return waitUntil(() -> {
      leaderStore().view(tx -> tx.nodes()).forEach(x -> {
        if (x.isReady()) seen.add(x.id());
      });
      return seen.size() >= n;
    }, timeout);
  }

  public long readyNodes() {
    return leaderStore().view(tx -> tx.nodes().stream().filter(Node::isReady).count());
  }

  /** The manager running the leader services now (m1 unless a failover happened). */
  public Manager leader() {
    for (Manager m : managers) {
      if (!m.closed && m.leads()) return m;
    }
    return managers.get(0);
  }

  public MemoryStore leaderStore() {
    return leader().store;
  }

  public ControlApi control() {
    return leader().control;
  }

  public List<Manager> managers() {
    return managers;
  }

  public int agentCount() {
    return agents.size();
  }

  /** Stops the agent of node {@code i} as a crash would: no more heartbeats, its tasks are gone. */
  public String killAgent(int i) {
    agents.get(i).close();
    channels.get(i).close();
    return nodeId(i);
  }

  private NodeCredentials issue(String nodeId, NodeRole role) {
    KeyPair kp = NodeCertificates.generateKeyPair(secure);
    return issue(nodeId, role, kp, NodeCertificates.createCsr(kp, secure));
  }

  private NodeCredentials issue(String nodeId, NodeRole role, KeyPair kp, String csr) {
    return NodeCertificates.accept(kp, ca.sign(csr, new NodeIdentity(nodeId, role, clusterId), null, clock, secure), ca,
        clock.instant());
  }

  static String freeAddress() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return "127.0.0.1:" + s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static boolean waitUntil(java.util.function.BooleanSupplier cond, Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      if (cond.getAsBoolean()) return true;
      Thread.sleep(50); // a benchmark's poll, not a test's wait (DESIGN §5 is about tests)
    }
    return cond.getAsBoolean();
  }

  static void waitFor(java.util.function.BooleanSupplier cond, Duration timeout, String what) throws InterruptedException {
    if (!waitUntil(cond, timeout)) throw new IllegalStateException("timed out after " + timeout + " waiting for " + what);
  }

  /** Heap in use after a full collection, in bytes: the figure "memory per hollow node" divides. */
  static long heapAfterGc() {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return rt.totalMemory() - rt.freeMemory();
  }

  static void printMachine(PrintStream out) {
    long max = Runtime.getRuntime().maxMemory();
    String load;
    try {
      load = Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      load = "unknown";
    }
    // the machine is shared: a load average well above the core count explains noisy latencies
    out.printf("machine: %d cores, JVM max heap %d MiB, java %s, load average %s%n", Runtime.getRuntime().availableProcessors(),
        max >> 20, System.getProperty("java.version"), load);
  }

  @Override
  public void close() {
    agents.forEach(Agent::close);
    agentTimers.shutdownNow();
    channels.forEach(ClusterChannels::close);
    callbacks.shutdownNow();
    for (int i = managers.size() - 1; i >= 0; i--) {
      Manager m = managers.get(i);
      if (!m.closed) m.close();
    }
    try (Stream<Path> files = Files.walk(root)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temp dir left behind is harmless
    }
  }
}
