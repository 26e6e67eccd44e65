package io.shoal.cli.command.service;

import io.shoal.api.model.Node;
import io.shoal.api.model.Service;
import io.shoal.api.model.Task;
import io.shoal.cli.Cli;
import io.shoal.cli.client.ApiClient;
import io.shoal.cli.client.Filters;
import io.shoal.cli.format.Units;
import io.shoal.cli.progress.ConvergenceWaiter;
import io.shoal.cli.progress.ProgressView;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What several service commands share: the convergence wait and id → name lookups. */
public final class ServiceSupport {
  private ServiceSupport() {}

  /**
   * Waits for {@code serviceId} to converge with a live display. {@code SHOAL_WAIT_TIMEOUT} (a
   * duration) overrides the 10-minute ceiling; docker itself waits forever.
   */
  static void awaitConverged(Cli cli, String serviceId, boolean quiet, boolean requireCurrentSpec)
      throws InterruptedException {
    awaitConverged(cli, serviceId, quiet, requireCurrentSpec, false);
  }

  static void awaitConverged(Cli cli, String serviceId, boolean quiet, boolean requireCurrentSpec,
      boolean rollback) throws InterruptedException {
    Duration timeout = ConvergenceWaiter.DEFAULT_TIMEOUT;
    String t = cli.env().get("SHOAL_WAIT_TIMEOUT");
    if (t != null && !t.isBlank()) {
      timeout = Duration.ofNanos(Units.parseDuration(t));
    }
    ConvergenceWaiter waiter = new ConvergenceWaiter(cli.clock(), cli.sleeper(),
        ConvergenceWaiter.DEFAULT_INTERVAL, timeout, new ProgressView(cli.out(), cli.terminal(), quiet));
    waiter.await(() -> poll(cli.api(), serviceId), requireCurrentSpec, rollback);
  }

  /** The service with its status counts (list with status=true) and all of its tasks. */
  static ConvergenceWaiter.Poll poll(ApiClient api, String id) {
    Service service = api.services(Filters.of("id", id), true).stream()
        .filter(s -> s.id().equals(id)).findFirst()
        .orElseGet(() -> api.service(id));
    List<Task> tasks = api.tasks(Filters.of("service", id));
    return new ConvergenceWaiter.Poll(service, tasks);
  }

  public static Map<String, String> nodeNames(ApiClient api) {
    Map<String, String> m = new HashMap<>();
    for (Node n : api.nodes(null)) {
      m.put(n.id(), n.hostname() == null || n.hostname().isEmpty() ? n.id() : n.hostname());
    }
    return m;
  }

  static Map<String, String> serviceNames(ApiClient api) {
    Map<String, String> m = new HashMap<>();
    for (Service s : api.services(null, false)) {
      m.put(s.id(), s.name());
    }
    return m;
  }
}
