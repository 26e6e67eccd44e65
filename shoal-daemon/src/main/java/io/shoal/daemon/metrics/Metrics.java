package io.shoal.daemon.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.shoal.agent.exec.Executor;
import io.shoal.daemon.api.Router;
import io.shoal.daemon.swarm.ManagerRuntime;
import io.shoal.daemon.swarm.NodeRuntime;
import io.shoal.store.MemoryStore;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * One daemon's metrics: a Prometheus registry of its own (injected everywhere it is needed, never a
 * static), the JVM's meters, {@link NodeMetrics} over the node's state, {@link StoreEventMetrics}
 * on the current manager's store, the API's and the engine's timers — and {@link #bind}, where
 * later parts (the DNS server, VIPs, gossip) add their own {@link MeterBinder}.
 *
 * <p>The daemon tells {@link #nodeChanged} after init, join, leave and role changes, so the store
 * watcher follows the manager. Threading: nodeChanged and close are synchronized; scraping is
 * thread-safe.
 */
public final class Metrics implements AutoCloseable {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Supplier<NodeRuntime> node;
  private final NodeMetrics nodeMetrics;
  private final NetworkMetrics networkMetrics;
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final Object scrapeLock = new Object();
  private MemoryStore watched;
  private StoreEventMetrics storeEvents;

  /** @param node the node runtime now (null outside a swarm), read at every scrape */
  public Metrics(Supplier<NodeRuntime> node) {
    this.node = node;
    this.nodeMetrics = new NodeMetrics(node);
    this.networkMetrics = NetworkMetrics.of(node);
    for (MeterBinder b : new MeterBinder[] {new JvmMemoryMetrics(), gc, new JvmThreadMetrics(), new ClassLoaderMetrics(),
        new ProcessorMetrics(), new UptimeMetrics(), new FileDescriptorMetrics(), nodeMetrics, networkMetrics}) {
      b.bindTo(registry);
    }
  }

  public MeterRegistry registry() {
    return registry;
  }

  /**
   * Adds meters of another part of the node. The hook for networking: the DNS server (queries by
   * outcome), VIP backends per service and gossip rounds bind here with names under
   * {@code shoal.network.*} / {@code shoal.gossip.*}, e.g.
   * {@code metrics.bind(r -> FunctionCounter.builder("shoal.network.dns.queries", dns, Dns::queries).register(r))}.
   */
  public void bind(MeterBinder binder) {
    binder.bindTo(registry);
  }

  /** Executors that time their engine calls ({@code shoal_agent_engine_call_seconds}). */
  public Function<String, Executor> timed(Function<String, Executor> executors) {
    return id -> new TimedExecutor(executors.apply(id), registry);
  }

  /** The API's request timer, for {@link Router#observe}. */
  public Router.Observer api() {
    return new ApiMetrics(registry);
  }

  /** Follows the node's manager: watch its store and time its proposals; drop the last one's watch. */
  public synchronized void nodeChanged() {
    NodeRuntime n = node.get();
    ManagerRuntime m = n == null ? null : n.manager();
    MemoryStore store = m == null ? null : m.store();
    if (store == watched) return;
    if (storeEvents != null) storeEvents.close();
    storeEvents = null;
    watched = store;
    if (store != null) {
      TimedProposer.install(store, registry);
      storeEvents = new StoreEventMetrics(registry, m.raft()::isLeader).start(store);
    }
  }

  /** The Prometheus text exposition, with the labelled gauges re-read first. */
  public String scrape() {
    synchronized (scrapeLock) {
      nodeMetrics.refresh();
      networkMetrics.refresh();
      return registry.scrape();
    }
  }

  /** Serves {@code GET /metrics}; anything else is a 404. */
  public Handler handler() {
    return new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        if (!"/metrics".equals(path) || !("GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod()))) {
          response.setStatus(404);
          response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
          response.write(true, ByteBuffer.wrap("not found: metrics are at /metrics\n".getBytes(StandardCharsets.UTF_8)), callback);
          return true;
        }
        byte[] body = scrape().getBytes(StandardCharsets.UTF_8);
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, "HEAD".equals(request.getMethod()) ? ByteBuffer.allocate(0) : ByteBuffer.wrap(body), callback);
        return true;
      }
    };
  }

  @Override
  public synchronized void close() {
    if (storeEvents != null) storeEvents.close();
    storeEvents = null;
    watched = null;
    gc.close();
    registry.close();
  }
}
