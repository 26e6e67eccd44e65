package io.shoal.network.mesh;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The userspace routing mesh: keeps one listener per published port (TCP and UDP) open on
 * {@code bindHost} with the backends {@link MeshTable} computed, on one {@link ProxyLoop}, and
 * closes the ones no service publishes any more. Where the kernel mesh runs this serves only
 * 127.0.0.1 (a DNAT from loopback to another address cannot be routed); elsewhere all addresses.
 *
 * <p>A port taken by another program is a conflict: it is reported once with a clear error,
 * listed by {@link #refusedPorts} (the kernel mesh leaves such a port alone too, rather than
 * stealing it from that program) and tried again on every update.
 *
 * <p>Threading: {@link #apply} is called from one thread (the daemon's mesh feed).
 */
public final class RoutingMesh implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RoutingMesh.class);
  private final String bindHost;
  private final ProxyLoop loop;
  private final Map<MeshTable.PortKey, ProxyLoop.Port> ports = new HashMap<>();
  private final Map<MeshTable.PortKey, String> refused = new HashMap<>();
  private boolean fromView;

  /** @param bindHost where published ports listen: "0.0.0.0" as Swarm, "127.0.0.1" beside the kernel mesh, or a test's loopback */
  public RoutingMesh(String bindHost) {
    this.bindHost = bindHost;
    try {
      this.loop = new ProxyLoop("shoal-mesh-io");
    } catch (IOException e) {
      throw new IllegalStateException("cannot open a selector for the routing mesh", e);
    }
  }

  /**
   * Applies a table computed from the store (the feed from before the network view); ignored once
   * {@link #applyFromView} has been called: the view is the one source from then on.
   */
  public synchronized void apply(Map<MeshTable.PortKey, MeshTable.Entry> table) {
    if (!fromView) serve(table);
  }

  /** Applies a table computed from the node's network view ({@link LoopbackMesh}). */
  public synchronized void applyFromView(Map<MeshTable.PortKey, MeshTable.Entry> table) {
    if (!fromView) log.info("mesh: fed from the network view from now on");
    fromView = true;
    serve(table);
  }

  private void serve(Map<MeshTable.PortKey, MeshTable.Entry> table) {
    refused.keySet().retainAll(table.keySet());
    ports.entrySet().removeIf(e -> {
      if (table.containsKey(e.getKey())) return false;
      log.info("mesh: closing published port {}/{}", e.getKey().port(), e.getKey().protocol());
      e.getValue().close();
      return true;
    });
    for (var e : table.entrySet()) {
      MeshTable.PortKey k = e.getKey();
      if (!k.protocol().equals("tcp") && !k.protocol().equals("udp")) {
        if (refused.put(k, "sctp is not served by the routing mesh") == null) {
          log.error("mesh: published port {}/{} for service {}: only tcp and udp are served", k.port(), k.protocol(), e.getValue().serviceName());
        }
        continue;
      }
      ProxyLoop.Port p = ports.get(k);
      if (p == null) {
        try {
          p = loop.open(k.protocol(), new InetSocketAddress(bindHost, k.port()));
          ports.put(k, p);
          if (refused.remove(k) != null) log.info("mesh: published port {}/{} is free now", k.port(), k.protocol());
          log.info("mesh: serving published port {}/{} for service {}", k.port(), k.protocol(), e.getValue().serviceName());
        } catch (IOException ex) {
          String why = ex instanceof BindException
              ? "port " + k.port() + "/" + k.protocol() + " is already in use on this node by another program"
              : ex.toString();
          if (refused.put(k, why) == null) {
            log.error("mesh: cannot serve published port {}/{} of service {} on {}: {} (tried again on every update)",
                k.port(), k.protocol(), e.getValue().serviceName(), bindHost, why);
          }
          continue;
        }
      }
      if (!p.backends().equals(e.getValue().backends())) p.setBackends(e.getValue().backends());
    }
  }

  public synchronized Map<MeshTable.PortKey, List<InetSocketAddress>> backends() {
    Map<MeshTable.PortKey, List<InetSocketAddress>> out = new HashMap<>();
    ports.forEach((k, p) -> out.put(k, p.backends()));
    return out;
  }

  /** Published ports this node cannot serve, as {@code 8080/tcp}. */
  public synchronized Set<String> refusedPorts() {
    Set<String> out = new TreeSet<>();
    refused.keySet().forEach(k -> out.add(k.port() + "/" + k.protocol()));
    return out;
  }

  /** Why each refused port is refused. */
  public synchronized Map<MeshTable.PortKey, String> refusals() {
    return Map.copyOf(refused);
  }

  @Override
  public synchronized void close() {
    ports.values().forEach(ProxyLoop.Port::close);
    ports.clear();
    loop.close();
  }
}
