package io.shoal.daemon.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.shoal.api.net.NodeNetworkView;
import io.shoal.daemon.swarm.NodeRuntime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Networking as this node sees it, from the last network view its consumers were handed: the
 * view's version, networks, peers and, per service, how many task endpoints back its VIPs
 * ({@code shoal_network_vip_backends{service}}). NaN before the first view. Counters of the
 * resolver (queries by outcome) and gossip (rounds) belong with those parts: they bind through
 * {@link Metrics#bind} once they count.
 *
 * <p>Threading: {@link #refresh} by the scrape; gauges read the view, an immutable record.
 */
final class NetworkMetrics implements MeterBinder {
  private final Supplier<NodeNetworkView> view;
  private MultiGauge backends;

  /** @param view the last network view applied on this node, null before the first */
  NetworkMetrics(Supplier<NodeNetworkView> view) {
    this.view = view;
  }

  /** Over the node's networking, whatever node runtime is current. */
  static NetworkMetrics of(Supplier<NodeRuntime> node) {
    return new NetworkMetrics(() -> {
      NodeRuntime n = node.get();
      return n == null || n.networking() == null ? null : n.networking().lastView();
    });
  }

  private NodeNetworkView view() {
    return view.get();
  }

  private double read(ToDoubleFunction<NodeNetworkView> f) {
    NodeNetworkView v = view();
    return v == null ? Double.NaN : f.applyAsDouble(v);
  }

  @Override
  public void bindTo(MeterRegistry r) {
    Gauge.builder("shoal.network.view.version", () -> read(NodeNetworkView::version))
        .description("Version of the last network view this node applied").strongReference(true).register(r);
    Gauge.builder("shoal.network.networks", () -> read(v -> v.networks().size()))
        .description("Networks in this node's view").strongReference(true).register(r);
    Gauge.builder("shoal.network.peers", () -> read(v -> v.peers().size()))
        .description("Data path peers in this node's view").strongReference(true).register(r);
    backends = MultiGauge.builder("shoal.network.vip.backends").description("Task endpoints behind each service's VIPs").register(r);
  }

  /** Re-reads the per-service backend counts. */
  void refresh() {
    NodeNetworkView v = view();
    Map<String, Set<String>> byService = new HashMap<>();
    if (v != null) {
      Set<String> vipServices = new HashSet<>();
      for (NodeNetworkView.ServiceInfo s : v.services()) if (!s.vips().isEmpty()) vipServices.add(s.id());
      for (NodeNetworkView.EndpointInfo e : v.endpoints()) {
        if (e.serviceId() != null && vipServices.contains(e.serviceId())) {
          byService.computeIfAbsent(e.serviceName(), k -> new HashSet<>()).add(e.taskId());
        }
      }
    }
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    byService.forEach((service, tasks) -> rows.add(MultiGauge.Row.of(Tags.of("service", String.valueOf(service)), tasks.size())));
    backends.register(rows, true);
  }
}
