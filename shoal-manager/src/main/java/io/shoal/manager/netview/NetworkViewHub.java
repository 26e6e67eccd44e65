package io.shoal.manager.netview;

import io.shoal.api.model.Cluster;
import io.shoal.api.model.Network;
import io.shoal.api.model.Node;
import io.shoal.api.model.Service;
import io.shoal.api.model.Task;
import io.shoal.api.net.NetworkViewListener;
import io.shoal.api.net.NodeNetworkView;
import io.shoal.store.MemoryStore;
import io.shoal.store.StoreEvent;
import io.shoal.store.Watch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves node network views from a manager's store (leader or follower: every manager has the
 * replicated store): to in-process listeners (this manager's own node) and to long polls from
 * other nodes over the cluster port. One thread watches the store; after each burst of changes
 * (10 ms quiet) it cuts the view of every node someone is waiting for or listening to from one
 * {@link NetworkViews#index} and hands out those whose content changed.
 *
 * <p>A node's version only moves when its content does (to the store index of that change), so
 * a poll that says "I have version N" is answered at once when the node's view is no longer N —
 * newer, or different because another manager answered before (failover) — else when it changes,
 * else after the poll's timeout with the unchanged view.
 *
 * <pre>{@code
 * NetworkViewHub hub = new NetworkViewHub(store);
 * hub.subscribe(myNodeId, view -> dataPath.apply(view));
 * hub.poll(workerId, lastVersion, Duration.ofSeconds(10)).thenAccept(send);
 * }</pre>
 *
 * <p>Thread-safe. Listeners are called on the hub's thread.
 */
public final class NetworkViewHub implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NetworkViewHub.class);
  private static final Duration DEBOUNCE = Duration.ofMillis(10);
  /** A node that has not polled for this long is forgotten (its cached view dropped). */
  private static final long FORGET_NANOS = Duration.ofMinutes(2).toNanos();

  private final MemoryStore store;
  private final Watch watch;
  private final Thread thread;
  private final ScheduledExecutorService timers;
  private final Map<String, NodeNetworkView> last = new HashMap<>();
  private final Map<String, Long> lastPoll = new HashMap<>();
  private final Map<String, List<Waiter>> waiters = new HashMap<>();
  private final Map<String, List<NetworkViewListener>> listeners = new HashMap<>();
  private volatile boolean running = true;

  private record Waiter(long since, CompletableFuture<NodeNetworkView> future) {}

  public NetworkViewHub(MemoryStore store) {
    this.store = store;
    this.watch = store.watch(e -> e.subject() instanceof Task || e.subject() instanceof Service
        || e.subject() instanceof Network || e.subject() instanceof Node || e.subject() instanceof Cluster
        || e instanceof StoreEvent.Reset);
    this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "shoal-netview-timer");
      t.setDaemon(true);
      return t;
    });
    this.thread = new Thread(this::loop, "shoal-netview");
    thread.setDaemon(true);
    thread.start();
  }

  /** Calls {@code l} with {@code nodeId}'s view now (on the hub's thread) and on every change. */
  public void subscribe(String nodeId, NetworkViewListener l) {
    synchronized (this) {
      listeners.computeIfAbsent(nodeId, k -> new CopyOnWriteArrayList<>()).add(l);
      last.remove(nodeId); // recomputed and so handed to the new listener on the next round
    }
    kick();
  }

  public synchronized void unsubscribe(String nodeId, NetworkViewListener l) {
    List<NetworkViewListener> ls = listeners.get(nodeId);
    if (ls != null) {
      ls.remove(l);
      if (ls.isEmpty()) listeners.remove(nodeId);
    }
  }

  /**
   * {@code nodeId}'s view once it differs from version {@code since}, or after {@code timeout}
   * the view as it is. Never holds a thread while waiting.
   */
  public CompletableFuture<NodeNetworkView> poll(String nodeId, long since, Duration timeout) {
    CompletableFuture<NodeNetworkView> f = new CompletableFuture<>();
    NodeNetworkView now;
    synchronized (this) {
      lastPoll.put(nodeId, System.nanoTime());
      now = last.get(nodeId);
      if (now == null) {
        now = computeOne(nodeId);
      }
      if (now.version() != since) {
        f.complete(now);
        return f;
      }
      Waiter w = new Waiter(since, f);
      waiters.computeIfAbsent(nodeId, k -> new ArrayList<>()).add(w);
    }
    timers.schedule(() -> expire(nodeId, f), timeout.toMillis(), TimeUnit.MILLISECONDS);
    return f;
  }

  /** The view for a node not cached yet; called under the lock, so keep the read short. */
  private NodeNetworkView computeOne(String nodeId) {
    NodeNetworkView v = store.view(tx -> NetworkViews.forNode(tx, nodeId));
    last.put(nodeId, v);
    return v;
  }

  private void expire(String nodeId, CompletableFuture<NodeNetworkView> f) {
    NodeNetworkView v;
    synchronized (this) {
      List<Waiter> ws = waiters.get(nodeId);
      if (ws != null) {
        ws.removeIf(w -> w.future == f);
        if (ws.isEmpty()) waiters.remove(nodeId);
      }
      v = last.get(nodeId);
    }
    if (v != null) f.complete(v);
    else f.completeExceptionally(new IllegalStateException("no network view"));
  }

  private void kick() {
    // the watch is the only wake-up source: a new subscriber waits at most one poll period
    synchronized (kickLock) {
      kicked = true;
    }
  }

  private final Object kickLock = new Object();
  private boolean kicked;

  private void loop() {
    while (running) {
      try {
        StoreEvent e = watch.poll(Duration.ofMillis(200));
        if (e != null) {
          while (watch.poll(DEBOUNCE) != null) {
            // the rest of the burst: one recomputation for all of it
          }
        }
        boolean wasKicked;
        synchronized (kickLock) {
          wasKicked = kicked;
          kicked = false;
        }
        if (e != null || wasKicked) round();
      } catch (InterruptedException ie) {
        return;
      } catch (RuntimeException ex) {
        log.warn("network views: round failed, retrying on the next change: {}", ex.toString());
      }
    }
  }

  private void round() {
    List<String> nodes;
    synchronized (this) {
      long now = System.nanoTime();
      lastPoll.entrySet().removeIf(en -> now - en.getValue() > FORGET_NANOS && !waiters.containsKey(en.getKey()));
      last.keySet().removeIf(id -> !lastPoll.containsKey(id) && !listeners.containsKey(id));
      java.util.Set<String> s = new java.util.TreeSet<>(lastPoll.keySet());
      s.addAll(listeners.keySet());
      nodes = new ArrayList<>(s);
    }
    if (nodes.isEmpty()) return;
    Map<String, NodeNetworkView> fresh = store.view(tx -> {
      NetworkViews.Index idx = NetworkViews.index(tx);
      Map<String, NodeNetworkView> out = new HashMap<>();
      for (String n : nodes) out.put(n, idx.forNode(n));
      return out;
    });
    List<Runnable> deliveries = new ArrayList<>();
    synchronized (this) {
      for (Map.Entry<String, NodeNetworkView> en : fresh.entrySet()) {
        String node = en.getKey();
        NodeNetworkView before = last.get(node);
        NodeNetworkView v = en.getValue();
        if (before != null && before.sameContent(v)) continue;
        if (before != null && v.version() <= before.version()) v = v.withVersion(before.version() + 1);
        last.put(node, v);
        NodeNetworkView sent = v;
        List<Waiter> ws = waiters.remove(node);
        if (ws != null) for (Waiter w : ws) deliveries.add(() -> w.future.complete(sent));
        for (NetworkViewListener l : listeners.getOrDefault(node, List.of())) deliveries.add(() -> l.onView(sent));
      }
    }
    for (Runnable r : deliveries) {
      try {
        r.run();
      } catch (RuntimeException ex) {
        log.warn("network view listener failed: {}", ex.toString());
      }
    }
  }

  @Override
  public void close() {
    running = false;
    watch.close();
    thread.interrupt();
    timers.shutdownNow();
    synchronized (this) {
      waiters.values().forEach(ws -> ws.forEach(w -> w.future.cancel(false)));
      waiters.clear();
    }
  }
}
