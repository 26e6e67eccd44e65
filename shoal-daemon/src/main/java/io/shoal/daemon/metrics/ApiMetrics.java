package io.shoal.daemon.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.shoal.daemon.api.Router;
import java.time.Duration;
import java.util.Set;

/**
 * {@code shoal_api_request_seconds{method, route, status}}: every API request on every listener,
 * labelled by the route's template ({@code /services/{id}/update}), never by the raw path, and by
 * a known method (anything else is "other"), so the label set stays small. Streams (logs, events)
 * are counted when they end.
 */
public final class ApiMetrics implements Router.Observer {
  private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE");
  private final MeterRegistry registry;

  public ApiMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void completed(String method, String route, int status, long nanos) {
    Timer.builder("shoal.api.request").description("Docker API requests by route and status")
        .tags("method", METHODS.contains(method) ? method : "other", "route", route, "status", Integer.toString(status))
        .serviceLevelObjectives(Buckets.LATENCY).register(registry).record(Duration.ofNanos(nanos));
  }
}
