package io.shoal.daemon.console;

import io.shoal.api.model.Node;
import io.shoal.api.model.PortConfig;
import io.shoal.api.model.Resources;
import io.shoal.api.model.Service;
import io.shoal.api.model.ServiceMode;
import io.shoal.api.model.Task;
import io.shoal.api.model.TaskState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the console shows, built from one read of the store: every node, every service and every
 * task the store keeps (history included, at most Swarm's five per slot), flattened to what the
 * page needs. A pure function of its input; the page decides layout.
 *
 * <p>Sent as JSON (Docker's PascalCase keys) on the console's event stream and at {@code /api/state}.
 */
public record ClusterView(long index, Instant at, String leaderID, String error, List<NodeView> nodes,
    List<ServiceView> services, List<TaskView> tasks) {

  public record NodeView(String id, String hostname, String role, boolean leader, String availability, String state,
      String message, String addr, double cpus, long memoryBytes, String engineVersion) {}

  public record ServiceView(String id, String name, String image, String mode, long desired, long running,
      String updateState, String updateMessage, List<String> ports) {}

  public record TaskView(String id, String serviceID, String service, long slot, String nodeID, String state,
      String desiredState, String message, String err, Instant timestamp, Instant createdAt, String image,
      String containerID, Integer exitCode) {}

  /** A view that says why there is nothing to show (not a manager, not in a swarm). */
  public static ClusterView unavailable(String why, Instant at) {
    return new ClusterView(0, at, null, why, List.of(), List.of(), List.of());
  }

  public static ClusterView of(long index, Instant at, String leaderID, List<Node> nodes, List<Service> services,
      List<Task> tasks) {
    Map<String, String> names = new HashMap<>();
    Map<String, Long> running = new HashMap<>();
    for (Task t : tasks) {
      if (t.state() == TaskState.RUNNING && t.desiredState() == TaskState.RUNNING) running.merge(t.serviceID(), 1L, Long::sum);
    }
    long eligible = nodes.stream().filter(n -> n.isReady() && Node.NodeSpec.ACTIVE.equals(n.spec().availabilityOrActive())).count();
    List<ServiceView> sv = new ArrayList<>();
    for (Service s : services) {
      names.put(s.id(), s.spec().name());
      ServiceMode m = s.spec().mode();
      String mode = m == null || m.replicated() != null ? "replicated" : m.global() != null ? "global"
          : m.replicatedJob() != null ? "replicated-job" : "global-job";
      long desired = m == null ? 1 : m.isGlobal() ? eligible : m.replicaCount();
      List<String> ports = new ArrayList<>();
      List<PortConfig> pcs = s.endpoint() != null ? s.endpoint().portsOrEmpty()
          : s.spec().endpointSpec() != null && s.spec().endpointSpec().ports() != null ? s.spec().endpointSpec().ports() : List.of();
      for (PortConfig p : pcs) {
        ports.add((p.publishedPort() == null ? "*" : p.publishedPort()) + "->" + p.targetPort() + "/" + p.protocolOrDefault()
            + (PortConfig.HOST.equals(p.publishModeOrDefault()) ? " (host)" : ""));
      }
      var u = s.updateStatus();
      sv.add(new ServiceView(s.id(), s.spec().name(), image(s.spec().taskTemplate() == null ? null : s.spec().taskTemplate().containerSpec()),
          mode, desired, running.getOrDefault(s.id(), 0L), u == null ? null : u.state(), u == null ? null : u.message(), ports));
    }
    sv.sort(Comparator.comparing(ServiceView::name));
    List<NodeView> nv = new ArrayList<>();
    for (Node n : nodes) {
      Resources.Limits r = n.description() == null ? null : n.description().resources();
      nv.add(new NodeView(n.id(), n.hostname(), n.spec().role(), n.id().equals(leaderID), n.spec().availabilityOrActive(),
          n.status() == null ? Node.UNKNOWN : n.status().state(), n.status() == null ? null : n.status().message(),
          n.status() == null ? null : n.status().addr(), r == null || r.nanoCPUs() == null ? 0 : r.nanoCPUs() / 1e9,
          r == null || r.memoryBytes() == null ? 0 : r.memoryBytes(),
          n.description() == null || n.description().engine() == null ? null : n.description().engine().engineVersion()));
    }
    // managers first, then by name: the columns keep their places as tasks come and go
    nv.sort(Comparator.comparing((NodeView n) -> !"manager".equals(n.role())).thenComparing(n -> String.valueOf(n.hostname()))
        .thenComparing(NodeView::id));
    List<TaskView> tv = new ArrayList<>(tasks.size());
    for (Task t : tasks) {
      var st = t.status();
      var cs = st == null ? null : st.containerStatus();
      tv.add(new TaskView(t.id(), t.serviceID(), names.getOrDefault(t.serviceID(), t.serviceID()), t.slot(), t.nodeID(),
          t.state() == null ? "new" : t.state().wire(), t.desiredState() == null ? null : t.desiredState().wire(),
          st == null ? null : st.message(), st == null ? null : st.err(), st == null ? null : st.timestamp(), t.createdAt(),
          t.spec() == null ? null : image(t.spec().containerSpec()), cs == null ? null : cs.containerID(),
          cs == null ? null : cs.exitCode()));
    }
    tv.sort(Comparator.comparing(TaskView::service).thenComparingLong(TaskView::slot)
        .thenComparing(t -> t.createdAt() == null ? Instant.EPOCH : t.createdAt()));
    return new ClusterView(index, at, leaderID, null, nv, sv, tv);
  }

  private static String image(io.shoal.api.model.ContainerSpec c) {
    return c == null ? null : c.image();
  }
}
