package io.shoal.rpc;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.shoal.ca.NodeCredentials;
import io.shoal.ca.RootCA;
import io.shoal.ca.tls.MutualTls;
import io.shoal.ca.tls.NodeKeyManager;
import io.shoal.ca.tls.PeerPolicy;
import io.shoal.ca.tls.PeerTrustManager;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * This node's client connections to other nodes' cluster ports, one gRPC channel per address
 * and trust kind, reused by every client ({@link RemoteDispatcher}, {@link ManagerClient}, {@link
 * RemoteTaskLogs}). Each channel presents this node's certificate and checks the peer's chain to
 * the root CA and its cluster id; channels to managers also require the peer's OU to be
 * swarm-manager, so a worker at a manager's address cannot feed other workers assignments.
 *
 * <pre>{@code
 * ClusterChannels channels = new ClusterChannels(keyManager, rootCA, null);
 * RemoteDispatcher dispatcher = new RemoteDispatcher(channels, managers);
 * ...
 * keyManager.update(renewed); channels.refresh();  // new connections carry the new certificate
 * channels.close();
 * }</pre>
 *
 * <p>Thread-safe. gRPC channels multiplex all calls over one HTTP/2 connection per address and
 * reconnect by themselves; {@link #refresh} replaces them (after a renewal or root rotation)
 * while calls on the old ones finish.
 */
public final class ClusterChannels implements AutoCloseable {
  private final NodeKeyManager keyManager;
  private final Executor executor;
  private final PeerTrustManager managerTrust;
  private final PeerTrustManager nodeTrust;
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
  private volatile SslContext managerTls;
  private volatile SslContext nodeTls;
  private volatile boolean closed;

  /**
   * @param keyManager this node's credentials (shared with its {@link ClusterServer} is fine)
   * @param executor runs response callbacks (listeners, sinks); null uses gRPC's shared pool
   */
  public ClusterChannels(NodeKeyManager keyManager, RootCA rootCA, Executor executor) {
    this.keyManager = keyManager;
    this.executor = executor;
    String clusterId = keyManager.credentials().identity().clusterId();
    this.managerTrust = MutualTls.trustManager(rootCA, PeerPolicy.managersOnly().withClusterId(clusterId));
    this.nodeTrust = MutualTls.trustManager(rootCA, PeerPolicy.anyNode().withClusterId(clusterId));
    buildContexts();
  }

  public ClusterChannels(NodeCredentials credentials, RootCA rootCA) {
    this(MutualTls.keyManager(credentials), rootCA, null);
  }

  public NodeKeyManager keyManager() {
    return keyManager;
  }

  /** This node's id, from its certificate. */
  public String nodeId() {
    return keyManager.credentials().identity().nodeId();
  }

  /** A channel to a manager's cluster port (the server must hold a manager certificate). */
  public ManagedChannel toManager(String addr) {
    return channel("m|" + addr, addr);
  }

  /** A channel to any node's cluster port (for task logs). */
  public ManagedChannel toNode(String addr) {
    return channel("n|" + addr, addr);
  }

  /** Trust {@code ca} from now on; open connections are replaced, see {@link #refresh}. */
  public void updateRootCA(RootCA ca) {
    managerTrust.updateRootCA(ca);
    nodeTrust.updateRootCA(ca);
    refresh();
  }

  /**
   * Replaces every channel so that new connections present the key manager's current
   * certificate: TLS identity is fixed per connection, and an old certificate would be refused
   * once it expires. Calls and streams on the old channels run to their end.
   */
  public void refresh() {
    buildContexts();
    for (String key : List.copyOf(channels.keySet())) {
      ManagedChannel old = channels.remove(key);
      if (old != null) {
        old.shutdown();
      }
    }
  }

  /** Closes every channel now; later calls fail. */
  @Override
  public void close() {
    closed = true;
    for (ManagedChannel c : channels.values()) {
      c.shutdownNow();
    }
    for (ManagedChannel c : channels.values()) {
      try {
        c.awaitTermination(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    channels.clear();
  }

  private void buildContexts() {
    // Built on first use: a worker never dials a non-manager, and contexts are not free.
    managerTls = null;
    nodeTls = null;
  }

  private SslContext tls(boolean manager) {
    SslContext c = manager ? managerTls : nodeTls;
    if (c == null) {
      synchronized (this) {
        c = manager ? managerTls : nodeTls;
        if (c == null) {
          c = Tls.client(keyManager, manager ? managerTrust : nodeTrust);
          if (manager) {
            managerTls = c;
          } else {
            nodeTls = c;
          }
        }
      }
    }
    return c;
  }

  private ManagedChannel channel(String key, String addr) {
    if (closed) {
      throw new IllegalStateException("cluster channels are closed");
    }
    return channels.computeIfAbsent(key, k ->
        build(addr, tls(k.startsWith("m|")), executor));
  }

  /** A TLS channel with Shoal's keepalive and message limits. */
  static ManagedChannel build(String addr, SslContext tls, Executor executor) {
    NettyChannelBuilder b = NettyChannelBuilder.forTarget(addr)
        .sslContext(tls)
        .maxInboundMessageSize(ClusterServer.MAX_MESSAGE_BYTES)
        // Detect a dead manager under a long assignment stream within ~30 s, not the OS's
        // TCP timeout; the server permits pings every 10 s.
        .keepAliveTime(20, TimeUnit.SECONDS)
        .keepAliveTimeout(10, TimeUnit.SECONDS);
    if (executor != null) {
      b.executor(executor);
    }
    return b.build();
  }
}
