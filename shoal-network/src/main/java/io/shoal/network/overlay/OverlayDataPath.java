package io.shoal.network.overlay;

import io.shoal.api.net.NodeNetworkView;
import io.shoal.network.overlay.OverlayState.Desired;
import io.shoal.network.overlay.OverlayState.EngineNet;
import io.shoal.network.overlay.OverlayState.Fdb;
import io.shoal.network.overlay.OverlayState.Link;
import io.shoal.network.overlay.OverlayState.Neigh;
import io.shoal.network.overlay.OverlayState.Observed;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's overlay data path, reconciled from the latest {@link NodeNetworkView}: on every new
 * view, and every {@code period} (which is how an engine restart, or anything else that changed
 * the kernel or engine behind the daemon's back, is repaired). Starting with the view a restarted
 * daemon gets converges the same way: the planner compares with what is there.
 *
 * <p>Threading: one reconcile thread of its own; {@link #onView} only records the view and wakes
 * it. {@link #awaitReady} blocks the caller (an executor preparing a container) until the
 * network's engine network exists here. Closing stops reconciling and leaves the data path in
 * place: containers outlive a daemon restart, and so must their network.
 */
public final class OverlayDataPath implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OverlayDataPath.class);

  /** A network usable by containers on this node's engine: its engine name and gateway (plain). */
  public record Ready(String networkId, String engineName, String gateway) {}

  private final String nodeId;
  private final String localAddr;
  private final int port;
  private final EngineNetworks engine;
  private final LinkShell shell;
  private final Duration period;
  private final ScheduledExecutorService thread;
  private NodeNetworkView view; // guarded by this
  private Map<String, Ready> ready = Map.of(); // guarded by this
  private final Set<String> lastErrors = new HashSet<>(); // reconcile thread only
  private boolean pending; // guarded by this: a reconcile is queued

  /**
   * @param localAddr this node's data path address
   * @param port the VXLAN UDP port, when the view does not carry one
   */
  public OverlayDataPath(String nodeId, String localAddr, int port, EngineNetworks engine, LinkShell shell,
      Duration period) {
    this.nodeId = nodeId;
    this.localAddr = localAddr;
    this.port = port;
    this.engine = engine;
    this.shell = shell;
    this.period = period;
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "shoal-overlay");
      t.setDaemon(true);
      return t;
    });
  }

  /** Reconciles now and then every period. */
  public void start() {
    thread.scheduleWithFixedDelay(this::reconcileQuietly, 0, period.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** A new view: the whole truth for this node. Returns at once. */
  public void onView(NodeNetworkView v) {
    synchronized (this) {
      if (view != null && v.version() < view.version()) {
        return;
      }
      view = v;
      if (pending) {
        return;
      }
      pending = true;
    }
    thread.execute(this::reconcileQuietly);
  }

  /**
   * A new view; when it names a network that is not ready here yet, waits (up to {@code wait})
   * for the reconcile that makes it, so whoever comes after (the resolver binding the gateway
   * address, VIPs put on the bridge) finds it. Other changes are applied in the background.
   */
  public void onViewAwaitingNew(NodeNetworkView v, Duration wait) {
    boolean fresh;
    synchronized (this) {
      fresh = v.networks().stream().anyMatch(n -> !ready.containsKey(n.id()));
    }
    if (!fresh) {
      onView(v);
      return;
    }
    synchronized (this) {
      if (view == null || v.version() >= view.version()) {
        view = v;
      }
    }
    try {
      thread.submit(() -> {
        reconcileQuietly();
        return null;
      }).get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
      log.warn("overlay: the networks of view {} are not ready after {}: {}", v.version(), wait, e.toString());
    }
  }

  public synchronized boolean hasView() {
    return view != null;
  }

  public synchronized NodeNetworkView view() {
    return view;
  }

  /** This node's endpoints of a task in the latest view, waiting up to {@code timeout} for some to appear. */
  public List<NodeNetworkView.EndpointInfo> awaitEndpoints(String taskId, Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    synchronized (this) {
      while (true) {
        List<NodeNetworkView.EndpointInfo> mine = new ArrayList<>();
        if (view != null) {
          view.endpoints().stream().filter(e -> taskId.equals(e.taskId())).forEach(mine::add);
        }
        long left = end - System.nanoTime();
        if (!mine.isEmpty() || left <= 0) {
          return mine;
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
    }
  }

  /** The network's engine network here, once the data path has made it (or another node on this engine has). */
  public Ready awaitReady(String networkId, Duration timeout) throws InterruptedException, TimeoutException {
    long end = System.nanoTime() + timeout.toNanos();
    synchronized (this) {
      while (true) {
        Ready r = ready.get(networkId);
        if (r != null) {
          return r;
        }
        long left = end - System.nanoTime();
        if (left <= 0) {
          throw new TimeoutException("network " + networkId + " is not ready on this node after " + timeout);
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
    }
  }

  private void reconcileQuietly() {
    try {
      reconcile();
    } catch (RuntimeException | IOException e) {
      log.warn("overlay reconcile failed (retried in {}): {}", period, e.toString());
    }
  }

  /** One reconcile on the reconcile thread, waited for (tests, and a caller that must see it done). */
  public void reconcileNow() throws IOException {
    try {
      thread.submit(() -> {
        reconcile();
        return null;
      }).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    }
  }

  private void reconcile() throws IOException {
    NodeNetworkView v;
    synchronized (this) {
      pending = false;
      v = view;
    }
    if (v == null) {
      return; // nothing known yet: removing everything now would break a restarted daemon's containers
    }
    Desired d = DesiredOverlay.from(v, localAddr, port);
    List<OverlayOp> ops = OverlayPlanner.plan(d, observe());
    Set<String> errors = new HashSet<>();
    for (OverlayOp op : ops) {
      try {
        if (op instanceof OverlayOp.CreateEngineNetwork c) {
          engine.create(c.network(), c.nodeId());
        } else if (op instanceof OverlayOp.RemoveEngineNetwork r) {
          engine.remove(r.engineId());
        } else {
          shell.apply(op);
        }
        log.debug("overlay: {}", op);
      } catch (IOException | RuntimeException e) {
        // one failure must not stop the rest (a network still in use cannot go yet); the next
        // round plans it again. Logged once while it keeps failing the same way.
        String msg = op.getClass().getSimpleName() + ": " + e.getMessage();
        errors.add(msg);
        if (!lastErrors.contains(msg)) {
          log.warn("overlay: {} failed: {}", op, e.getMessage());
        }
      }
    }
    lastErrors.clear();
    lastErrors.addAll(errors);
    if (!ops.isEmpty()) {
      log.info("overlay: {} operation(s) for view {}, {} failed", ops.size(), v.version(), errors.size());
    }
    Map<String, Ready> now = new HashMap<>();
    Set<String> wanted = new HashSet<>();
    d.networks().forEach(w -> wanted.add(w.networkId()));
    for (EngineNet e : engine.list()) {
      if (wanted.contains(e.networkId()) && (!now.containsKey(e.networkId()) || nodeId.equals(e.nodeId()))) {
        now.put(e.networkId(), new Ready(e.networkId(), e.name(), OverlayNames.plain(e.gateway())));
      }
    }
    synchronized (this) {
      ready = Map.copyOf(now);
      notifyAll();
    }
  }

  /** What a reconcile would do now, without doing it (diagnostics, tests). */
  public List<OverlayOp> pending() throws IOException {
    NodeNetworkView v = view();
    return v == null ? List.of() : OverlayPlanner.plan(DesiredOverlay.from(v, localAddr, port), observe());
  }

  /** What the engine and the kernel have now. */
  Observed observe() throws IOException {
    List<EngineNet> nets = engine.list();
    List<Link> links = shell.links();
    List<Fdb> fdb = new ArrayList<>();
    List<Neigh> neigh = new ArrayList<>();
    for (Link l : links) {
      if ("vxlan".equals(l.kind())) {
        fdb.addAll(shell.fdb(l.name()));
        neigh.addAll(shell.neigh(l.name()));
      }
    }
    return new Observed(nets, links, fdb, neigh, shell.acceptRules());
  }

  /** Stops reconciling; the data path stays as it is. */
  @Override
  public void close() {
    thread.shutdownNow();
  }
}
