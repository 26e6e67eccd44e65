package io.shoal.daemon.swarm;

import io.shoal.api.model.Node;
import io.shoal.api.model.Service;
import io.shoal.api.model.Task;
import io.shoal.network.mesh.MeshTable;
import io.shoal.network.mesh.RoutingMesh;
import io.shoal.store.MemoryStore;
import io.shoal.store.StoreEvent;
import io.shoal.store.Watch;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the routing mesh from the manager's store: whenever services or tasks change, the table
 * of published ports and their backends is recomputed and applied. Backends are reached at their
 * node's data path address ({@link DataPath}).
 */
public final class MeshWatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MeshWatcher.class);
  private final MemoryStore store;
  private final RoutingMesh mesh;
  private final String selfId;
  private final Watch watch;
  private final Thread thread;
  private volatile boolean running = true;

  public MeshWatcher(MemoryStore store, RoutingMesh mesh, String selfId) {
    this.store = store;
    this.mesh = mesh;
    this.selfId = selfId;
    this.watch = store.watch(e -> e.subject() instanceof Service || e.subject() instanceof Task || e.subject() instanceof Node);
    this.thread = new Thread(this::loop, "shoal-mesh-watch");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    while (running) {
      try {
        refresh();
        if (watch.poll(Duration.ofSeconds(5)) != null) {
          // gather the burst, then recompute once
          while (watch.poll(Duration.ofMillis(20)) != null) {
            // drain
          }
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        log.warn("mesh refresh failed: {}", e.toString());
      }
    }
  }

  private void refresh() {
    var table = store.view(tx -> MeshTable.compute(tx.services(), tx::tasksOfService, nodeId -> {
      Node n = tx.node(nodeId);
      if (n == null || (!n.isReady() && !Objects.equals(nodeId, selfId))) return null;
      return DataPath.of(n);
    }));
    mesh.apply(table);
  }

  @Override
  public void close() {
    running = false;
    watch.close();
    thread.interrupt();
  }
}
