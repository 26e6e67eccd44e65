package io.shoal.daemon.ops;

import io.shoal.agent.exec.Executor;
import io.shoal.daemon.api.Router;
import io.shoal.daemon.console.Console;
import io.shoal.daemon.metrics.Metrics;
import io.shoal.daemon.swarm.NodeRuntime;
import java.time.Clock;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a daemon offers its operators besides the API: Prometheus metrics ({@code --metrics-addr})
 * and the live console ({@code --ui-addr}), each off unless asked. The daemon makes one, hands it
 * its executors and router to instrument, and tells {@link #nodeChanged} after init, join, leave
 * and role changes; the listeners, the metrics' store watcher and the console's feed follow.
 *
 * <pre>{@code
 * Operations ops = new Operations(OpsAddress.parse("--metrics-addr", "127.0.0.1:9323"), null, daemon::nodeRuntime, clock);
 * ops.metrics().bind(registry -> ...);   // the hook for networking's meters
 * }</pre>
 *
 * <p>Threading: nodeChanged and close are called under the daemon's lock.
 */
public final class Operations implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Operations.class);
  private final Metrics metrics;
  private final Console console;
  private final OpsListener metricsListener;
  private final OpsListener uiListener;

  /** @param metricsAddr null: no metrics; @param uiAddr null: no console */
  public Operations(OpsAddress metricsAddr, OpsAddress uiAddr, Supplier<NodeRuntime> node, Clock clock) {
    this.metrics = metricsAddr == null ? null : new Metrics(node);
    this.console = uiAddr == null ? null : new Console(clock);
    this.metricsListener = metrics == null ? null : new OpsListener(metricsAddr, metrics.handler(), "metrics");
    this.uiListener = console == null ? null : new OpsListener(uiAddr, console.handler(), "console");
  }

  /** Neither metrics nor console. */
  public static Operations none() {
    return new Operations(null, null, () -> null, Clock.systemUTC());
  }

  /** The metrics, or null when {@code --metrics-addr} is not set. */
  public Metrics metrics() {
    return metrics;
  }

  public Function<String, Executor> executors(Function<String, Executor> executors) {
    return metrics == null ? executors : metrics.timed(executors);
  }

  public void instrument(Router router) {
    if (metrics != null) router.observe(metrics.api());
  }

  /** Opens the listeners at daemon start; a loopback port that cannot be bound fails the start, as dockerd's. */
  public void start(NodeRuntime node) throws Exception {
    if (metrics != null) metrics.nodeChanged();
    if (console != null) console.nodeChanged(node);
    if (metricsListener != null) metricsListener.update(node);
    if (uiListener != null) uiListener.update(node);
  }

  /** The node's membership changed: follow it. A listener that fails is logged; the node runs on. */
  public void nodeChanged(NodeRuntime node) {
    if (metrics != null) metrics.nodeChanged();
    if (console != null) console.nodeChanged(node);
    update(metricsListener, node);
    update(uiListener, node);
  }

  private static void update(OpsListener l, NodeRuntime node) {
    if (l == null) return;
    try {
      l.update(node);
    } catch (Exception e) {
      log.error("could not open a listener: {}", e.toString());
    }
  }

  public int metricsPort() {
    return metricsListener == null ? -1 : metricsListener.port();
  }

  public int uiPort() {
    return uiListener == null ? -1 : uiListener.port();
  }

  @Override
  public void close() {
    if (console != null) console.close(); // ends the pages' streams first
    if (uiListener != null) uiListener.close();
    if (metricsListener != null) metricsListener.close();
    if (metrics != null) metrics.close();
  }
}
