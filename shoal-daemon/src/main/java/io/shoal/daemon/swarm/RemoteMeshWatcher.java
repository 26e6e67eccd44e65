package io.shoal.daemon.swarm;

import io.shoal.network.mesh.MeshTable;
import io.shoal.network.mesh.RoutingMesh;
import io.shoal.rpc.ManagerClient;
import io.shoal.rpc.MeshRoute;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routing mesh on a worker, which keeps no store: the table is read from a manager every
 * {@link #PERIOD_MS} ms. While no manager answers, the last table keeps serving — published
 * ports go on working with the backends they had.
 */
final class RemoteMeshWatcher implements AutoCloseable {
  static final long PERIOD_MS = 2000;
  private static final Logger log = LoggerFactory.getLogger(RemoteMeshWatcher.class);
  private final ManagerClient managers;
  private final RoutingMesh mesh;
  private final Thread thread;
  private volatile boolean running = true;

  RemoteMeshWatcher(ManagerClient managers, RoutingMesh mesh) {
    this.managers = managers;
    this.mesh = mesh;
    this.thread = new Thread(this::loop, "shoal-mesh-remote");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    boolean warned = false;
    while (running) {
      try {
        mesh.apply(toTable(managers.meshTable()));
        warned = false;
      } catch (RuntimeException e) {
        if (!warned) log.warn("mesh: no manager answered for the mesh table, keeping the last one: {}", e.toString());
        warned = true;
      }
      synchronized (this) {
        try {
          wait(PERIOD_MS);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  static Map<MeshTable.PortKey, MeshTable.Entry> toTable(List<MeshRoute> routes) {
    Map<MeshTable.PortKey, MeshTable.Entry> out = new TreeMap<>();
    for (MeshRoute r : routes) {
      List<InetSocketAddress> backends = new ArrayList<>();
      for (String b : r.backends()) {
        int c = b.lastIndexOf(':');
        backends.add(InetSocketAddress.createUnresolved(b.substring(0, c), Integer.parseInt(b.substring(c + 1))));
      }
      out.put(new MeshTable.PortKey(r.port(), r.protocol()), new MeshTable.Entry("", "port " + r.port(), 0, backends));
    }
    return out;
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
