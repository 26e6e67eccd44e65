package io.shoal.network.mesh;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every node serves every ingress-published port: this keeps one {@link TcpProxy} per published
 * TCP port open on the node, with the backends {@link MeshTable} computed, and closes the ones no
 * service publishes any more. A port that cannot be bound (taken by another program) is logged
 * and retried on the next update, never fatal.
 *
 * <p>Threading: {@link #apply} is called from one thread (the daemon's mesh watcher).
 */
public final class RoutingMesh implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RoutingMesh.class);
  private final String bindHost;
  private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "shoal-mesh-conn");
    t.setDaemon(true);
    return t;
  });
  private final Map<MeshTable.PortKey, TcpProxy> proxies = new HashMap<>();
  /** Ports that could not be bound, so the failure is logged once, not on every refresh. */
  private final java.util.Set<MeshTable.PortKey> unbindable = new java.util.HashSet<>();

  /** @param bindHost where published ports listen: "0.0.0.0" as Swarm, or a test's loopback */
  public RoutingMesh(String bindHost) {
    this.bindHost = bindHost;
  }

  public synchronized void apply(Map<MeshTable.PortKey, MeshTable.Entry> table) {
    unbindable.retainAll(table.keySet());
    proxies.entrySet().removeIf(e -> {
      if (table.containsKey(e.getKey())) return false;
      log.info("mesh: closing published port {}/{}", e.getKey().port(), e.getKey().protocol());
      e.getValue().close();
      return true;
    });
    for (var e : table.entrySet()) {
      MeshTable.PortKey k = e.getKey();
      if (!k.protocol().equals("tcp")) continue; // udp and sctp: not served by the mesh yet
      TcpProxy p = proxies.get(k);
      if (p == null) {
        try {
          p = new TcpProxy(new InetSocketAddress(bindHost, k.port()), pool);
          proxies.put(k, p);
          unbindable.remove(k);
          log.info("mesh: serving published port {}/tcp for service {}", k.port(), e.getValue().serviceName());
        } catch (IOException ex) {
          if (unbindable.add(k)) log.warn("mesh: cannot bind published port {}/tcp (will keep trying): {}", k.port(), ex.toString());
          continue;
        }
      }
      if (!p.backends().equals(e.getValue().backends())) p.setBackends(e.getValue().backends());
    }
  }

  public synchronized Map<MeshTable.PortKey, java.util.List<InetSocketAddress>> backends() {
    Map<MeshTable.PortKey, java.util.List<InetSocketAddress>> out = new HashMap<>();
    proxies.forEach((k, p) -> out.put(k, p.backends()));
    return out;
  }

  @Override
  public synchronized void close() {
    proxies.values().forEach(TcpProxy::close);
    proxies.clear();
    pool.shutdownNow();
  }
}
