package io.shoal.daemon.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.shoal.api.model.Network;
import io.shoal.api.model.Service;
import io.shoal.api.model.ServiceSpec;
import io.shoal.api.model.Task;
import io.shoal.manager.controlapi.Filters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code /services/*} and {@code /tasks/*}. */
final class ServiceRoutes {
  private ServiceRoutes() {}

  /** Tasks with each attachment's network embedded, as Docker's {@code NetworksAttachments} shows it. */
  static List<Task> withNetworks(Backend b, List<Task> tasks) {
    if (tasks.stream().allMatch(t -> t.attachmentsOrEmpty().isEmpty())) return tasks;
    Map<String, JsonNode> nets = new HashMap<>();
    for (Network n : b.resources().networks(Filters.NONE)) nets.put(n.id(), ResourceRoutes.swarmNetwork(n));
    List<Task> out = new ArrayList<>();
    for (Task t : tasks) {
      if (t.attachmentsOrEmpty().isEmpty()) {
        out.add(t);
        continue;
      }
      out.add(t.withNetworksAttachments(t.attachmentsOrEmpty().stream()
          .map(a -> nets.containsKey(a.networkID()) ? a.withNetwork(nets.get(a.networkID())) : a).toList()));
    }
    return out;
  }

  static void register(Router r, Backend b) {
    r.on("GET", "/services", ex -> ex.json(200, b.control().services(ex.filters(), ex.flag("status", false))));
    r.on("POST", "/services/create", ex -> {
      ServiceSpec spec = ex.body(ServiceSpec.class);
      Service s = b.control().createService(spec);
      ex.json(201, Map.of("ID", s.id()));
    });
    r.on("GET", "/services/([^/]+)", ex -> ex.json(200, b.control().service(ex.path(1), false)));
    r.on("POST", "/services/([^/]+)/update", ex -> {
      boolean rollback = "previous".equals(ex.query("rollback"));
      ServiceSpec spec = rollback ? ex.bodyOr(ServiceSpec.class, null) : ex.body(ServiceSpec.class);
      b.control().updateService(ex.path(1), ex.version(), spec, rollback);
      ex.json(200, Map.of("Warnings", java.util.List.of()));
    });
    r.on("DELETE", "/services/([^/]+)", ex -> {
      b.control().removeService(ex.path(1));
      ex.empty(200);
    });
    r.on("GET", "/services/([^/]+)/logs", ex -> Logs.serve(ex, b, b.control().service(ex.path(1), false), null));

    r.on("GET", "/tasks", ex -> ex.json(200, withNetworks(b, b.control().tasks(ex.filters()))));
    r.on("GET", "/tasks/([^/]+)", ex -> ex.json(200, withNetworks(b, List.of(b.control().task(ex.path(1)))).get(0)));
    r.on("GET", "/tasks/([^/]+)/logs", ex -> Logs.serve(ex, b, null, b.control().task(ex.path(1))));
  }
}
