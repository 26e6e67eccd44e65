package io.shoal.rpc;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.shoal.api.dispatch.Dispatcher;
import io.shoal.api.dispatch.TaskLogs;
import io.shoal.api.error.ShoalException;
import io.shoal.ca.NodeCredentials;
import io.shoal.ca.RootCA;
import io.shoal.ca.tls.MutualTls;
import io.shoal.ca.tls.NodeKeyManager;
import io.shoal.ca.tls.PeerPolicy;
import io.shoal.ca.tls.PeerTrustManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's cluster port (2377): gRPC over TLS 1.3/1.2 with this node's certificate, serving
 * the {@code shoal.Cluster} service to other nodes. Every node runs one — managers serve the CA,
 * join, dispatcher and membership methods; every node serves task logs.
 *
 * <p>Client certificates are optional at the TLS layer (a joining node has none yet) and
 * enforced per method by an interceptor: {@code GetRootCA} and {@code Join} are open, the
 * dispatcher, renewal and mesh table need any valid swarm certificate, {@code AddManager},
 * {@code RemoveManager} and {@code TaskLogs} need OU=swarm-manager. The node id a handler sees is
 * the certificate's CN. A node for which {@code revoked} answers true is refused with
 * PERMISSION_DENIED "node X was removed from the swarm", on new and already open connections.
 *
 * <p>A handler left unset answers as a non-manager would (UNAVAILABLE, {@code NotAManager}), so
 * clients move on to another node. Handlers can be swapped at any time (promotion, leadership),
 * see the setters.
 *
 * <pre>{@code
 * ClusterServer server = ClusterServer.builder("0.0.0.0", 2377, keyManager, rootCA)
 *     .revoked(nodeId -> store.isRemoved(nodeId))
 *     .leaderAddress(() -> leaderClusterAddr())        // attached to NotLeader errors
 *     .joinHandler(ca).dispatcher(leaderDispatcher).managerOps(raftOps)
 *     .meshTable(mesh::routes).taskLogs(agent)
 *     .build().start();
 * }</pre>
 *
 * <p>Threading: thread-safe. No thread per connection or stream: Netty's shared event loops do
 * I/O, a bounded executor runs handlers (default {@code max(4, 2 x cores)} threads), and a
 * second small bounded executor runs the calls that may block on raft.
 */
public final class ClusterServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ClusterServer.class);
  /** Largest message either way; a full assignment set with secrets can be large. */
  static final int MAX_MESSAGE_BYTES = 64 << 20;

  private final String host;
  private final int requestedPort;
  private final NodeKeyManager keyManager;
  private final PeerTrustManager clientTrust;
  private final Supplier<String> leaderAddress;
  private final ExecutorService executor;
  private final ExecutorService blocking;
  private final boolean ownExecutors;
  private final PeerAuthInterceptor auth;
  private volatile RootCA rootCA;
  private volatile JoinHandler joinHandler;
  private volatile Dispatcher dispatcher;
  private volatile ManagerOps managerOps;
  private volatile MeshTableSource meshTable;
  private volatile NetworkViewSource networkViews;
  private volatile TaskLogs taskLogs;
  private volatile Function<String, SessionInfo> sessionInfo;
  private Server server;

  private ClusterServer(Builder b) {
    this.host = b.host;
    this.requestedPort = b.port;
    this.keyManager = b.keyManager;
    this.rootCA = b.rootCA;
    // No revocation at the handshake: a refused handshake cannot say why, the interceptor can.
    this.clientTrust = MutualTls.trustManager(b.rootCA,
        PeerPolicy.anyNode().withClusterId(b.keyManager.credentials().identity().clusterId()));
    this.leaderAddress = b.leaderAddress;
    this.ownExecutors = b.executor == null;
    this.executor = b.executor != null ? b.executor : boundedPool("shoal-cluster-rpc", defaultThreads());
    this.blocking = b.blockingExecutor != null ? b.blockingExecutor : boundedPool("shoal-cluster-blocking", 4);
    this.auth = new PeerAuthInterceptor(b.revoked, b.clock);
    this.joinHandler = b.joinHandler;
    this.dispatcher = b.dispatcher;
    this.managerOps = b.managerOps;
    this.meshTable = b.meshTable;
    this.taskLogs = b.taskLogs;
  }

  /**
   * @param host address to bind, e.g. {@code 0.0.0.0} or the listen address's host
   * @param port 2377 by default; 0 picks a free port (tests), see {@link #port()}
   * @param keyManager this node's credentials; {@link NodeKeyManager#update} after a renewal
   *     applies to the next handshake
   */
  public static Builder builder(String host, int port, NodeKeyManager keyManager, RootCA rootCA) {
    return new Builder(host, port, keyManager, rootCA);
  }

  /** As {@link #builder(String, int, NodeKeyManager, RootCA)} with a key manager of its own. */
  public static Builder builder(String host, int port, NodeCredentials credentials, RootCA rootCA) {
    return new Builder(host, port, MutualTls.keyManager(credentials), rootCA);
  }

  /** Binds and starts serving. */
  public synchronized ClusterServer start() {
    if (server != null) {
      throw new IllegalStateException("already started");
    }
    NettyServerBuilder nb = NettyServerBuilder.forAddress(new InetSocketAddress(host, requestedPort))
        .sslContext(Tls.server(keyManager, clientTrust))
        .executor(executor)
        .intercept(auth)
        .addService(new ClusterService(this, blocking).definition())
        .maxInboundMessageSize(MAX_MESSAGE_BYTES)
        // Agents keep long assignment streams open; keepalives find dead peers behind NAT and
        // crashed hosts without a FIN. Permit the clients' pings (they ping every 20 s).
        .keepAliveTime(30, TimeUnit.SECONDS)
        .keepAliveTimeout(10, TimeUnit.SECONDS)
        .permitKeepAliveTime(10, TimeUnit.SECONDS)
        .permitKeepAliveWithoutCalls(true);
    try {
      server = nb.build().start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on the cluster port " + host + ":" + requestedPort
          + ": " + e.getMessage(), e);
    }
    log.info("cluster port listening on {}:{}", host, port());
    return this;
  }

  /** The bound port (the real one when 0 was requested). */
  public synchronized int port() {
    if (server == null) {
      throw new IllegalStateException("not started");
    }
    return server.getPort();
  }

  /** The trust manager for client certificates; {@code updateRootCA} on root rotation. */
  public void updateRootCA(RootCA ca) {
    this.rootCA = Objects.requireNonNull(ca);
    clientTrust.updateRootCA(ca);
  }

  /** Renewed credentials for the next handshakes. */
  public void updateCredentials(NodeCredentials credentials) {
    keyManager.update(credentials);
  }

  public NodeKeyManager keyManager() {
    return keyManager;
  }

  public RootCA rootCA() {
    return rootCA;
  }

  public void setJoinHandler(JoinHandler h) {
    this.joinHandler = h;
  }

  public void setDispatcher(Dispatcher d) {
    this.dispatcher = d;
  }

  public void setManagerOps(ManagerOps m) {
    this.managerOps = m;
  }

  public void setMeshTable(MeshTableSource m) {
    this.meshTable = m;
  }

  public void setNetworkViews(NetworkViewSource v) {
    this.networkViews = v;
  }

  public void setTaskLogs(TaskLogs t) {
    this.taskLogs = t;
  }

  /** What session answers carry for a node id (its role, the managers); null sends none. */
  public void setSessionInfo(Function<String, SessionInfo> s) {
    this.sessionInfo = s;
  }

  /** The session info for {@code nodeId}, or null: it is advice, a failure must not fail the heartbeat. */
  SessionInfo sessionInfo(String nodeId) {
    Function<String, SessionInfo> s = sessionInfo;
    if (s == null) {
      return null;
    }
    try {
      return s.apply(nodeId);
    } catch (RuntimeException e) {
      log.debug("no session info for {}: {}", nodeId, e.toString());
      return null;
    }
  }

  JoinHandler joinHandler() {
    return require(joinHandler);
  }

  Dispatcher dispatcher() {
    return require(dispatcher);
  }

  ManagerOps managerOps() {
    return require(managerOps);
  }

  MeshTableSource meshTable() {
    return require(meshTable);
  }

  NetworkViewSource networkViews() {
    return require(networkViews);
  }

  TaskLogs taskLogs() {
    TaskLogs t = taskLogs;
    if (t == null) {
      throw new ShoalException.Unavailable("this node does not serve task logs yet");
    }
    return t;
  }

  String leaderHint() {
    try {
      return leaderAddress.get();
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static <T> T require(T handler) {
    if (handler == null) {
      throw new ShoalException.NotAManager();
    }
    return handler;
  }

  /** Stops accepting calls, ends open streams, waits briefly for in-flight calls. */
  @Override
  public void close() {
    Server s;
    synchronized (this) {
      s = server;
    }
    if (s != null) {
      s.shutdown();
      try {
        // Unary calls finish within a second; assignment and log streams never end by
        // themselves, so after that they are cancelled (agents then fail over).
        if (!s.awaitTermination(1, TimeUnit.SECONDS)) {
          s.shutdownNow();
          s.awaitTermination(2, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        s.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
    if (ownExecutors) {
      executor.shutdownNow();
    }
    blocking.shutdownNow();
  }

  private static int defaultThreads() {
    return Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
  }

  /**
   * A fixed pool of daemon threads: bounded threads (thousands of agents share them), an
   * unbounded queue (work items are small and gRPC must not see rejections on its call path).
   */
  static ExecutorService boundedPool(String name, int threads) {
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor p = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(r, name + "-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    p.allowCoreThreadTimeOut(true);
    return p;
  }

  /** Configures a {@link ClusterServer}; not thread-safe, use once. */
  public static final class Builder {
    private final String host;
    private final int port;
    private final NodeKeyManager keyManager;
    private final RootCA rootCA;
    private Predicate<String> revoked = id -> false;
    private Supplier<String> leaderAddress = () -> null;
    private JoinHandler joinHandler;
    private Dispatcher dispatcher;
    private ManagerOps managerOps;
    private MeshTableSource meshTable;
    private TaskLogs taskLogs;
    private ExecutorService executor;
    private ExecutorService blockingExecutor;
    private Clock clock = Clock.systemUTC();

    private Builder(String host, int port, NodeKeyManager keyManager, RootCA rootCA) {
      this.host = Objects.requireNonNull(host, "host");
      this.port = port;
      this.keyManager = Objects.requireNonNull(keyManager, "keyManager");
      this.rootCA = Objects.requireNonNull(rootCA, "rootCA");
    }

    /** Node ids removed from the swarm; asked on every call, so pass a live view (thread-safe). */
    public Builder revoked(Predicate<String> removedNodeIds) {
      this.revoked = Objects.requireNonNull(removedNodeIds);
      return this;
    }

    /**
     * The current leader's cluster address ({@code host:port}), or null when unknown. Sent with
     * every error (in particular {@code NotLeader}) so clients go straight to the leader.
     */
    public Builder leaderAddress(Supplier<String> leader) {
      this.leaderAddress = Objects.requireNonNull(leader);
      return this;
    }

    public Builder joinHandler(JoinHandler h) {
      this.joinHandler = h;
      return this;
    }

    /** The leader's dispatcher, or one that throws {@code NotLeader} on other managers. */
    public Builder dispatcher(Dispatcher d) {
      this.dispatcher = d;
      return this;
    }

    public Builder managerOps(ManagerOps m) {
      this.managerOps = m;
      return this;
    }

    public Builder meshTable(MeshTableSource m) {
      this.meshTable = m;
      return this;
    }

    /** This node's agent, so managers can read logs of tasks running here. */
    public Builder taskLogs(TaskLogs t) {
      this.taskLogs = t;
      return this;
    }

    /** Handler executor (shared, bounded); the caller keeps ownership and shuts it down. */
    public Builder executor(ExecutorService e) {
      this.executor = e;
      return this;
    }

    /** Executor for calls that may block on raft; the server shuts it down on close. */
    public Builder blockingExecutor(ExecutorService e) {
      this.blockingExecutor = e;
      return this;
    }

    /** For the certificate expiry re-check on open connections. */
    public Builder clock(Clock c) {
      this.clock = Objects.requireNonNull(c);
      return this;
    }

    public ClusterServer build() {
      return new ClusterServer(this);
    }
  }
}
