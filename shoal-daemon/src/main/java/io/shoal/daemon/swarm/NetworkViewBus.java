package io.shoal.daemon.swarm;

import io.shoal.api.net.NetworkViewListener;
import io.shoal.api.net.NodeNetworkView;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's network view, handed to every {@link NetworkViewListener} of the node (data path,
 * resolver, mesh) whichever feed brings it: the manager's store in-process, or a manager's long
 * poll on a worker. Survives role changes (the feed is swapped, the bus and its listeners stay).
 *
 * <p>Threading: {@link #publish} from any thread; listeners are called on the bus's one thread,
 * in order, only for a view whose content differs from the last one delivered; a new listener
 * first gets the latest view (if any).
 */
public final class NetworkViewBus implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NetworkViewBus.class);
  private final List<NetworkViewListener> listeners = new CopyOnWriteArrayList<>();
  private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "shoal-netview-bus");
    t.setDaemon(true);
    return t;
  });
  private volatile NodeNetworkView latest;

  /** The latest view, or null before the first one arrived. */
  public NodeNetworkView latest() {
    return latest;
  }

  public void subscribe(NetworkViewListener l) {
    thread.execute(() -> {
      listeners.add(l);
      NodeNetworkView v = latest;
      if (v != null) deliver(l, v);
    });
  }

  public void unsubscribe(NetworkViewListener l) {
    thread.execute(() -> listeners.remove(l));
  }

  public void publish(NodeNetworkView v) {
    try {
      thread.execute(() -> {
        NodeNetworkView before = latest;
        if (before != null && before.sameContent(v)) {
          latest = v; // the same content, maybe at another version: keep the newest to poll from
          return;
        }
        latest = v;
        for (NetworkViewListener l : listeners) deliver(l, v);
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closed
    }
  }

  private static void deliver(NetworkViewListener l, NodeNetworkView v) {
    try {
      l.onView(v);
    } catch (RuntimeException e) {
      log.warn("network view listener {} failed on version {}: {}", l, v.version(), e.toString());
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
