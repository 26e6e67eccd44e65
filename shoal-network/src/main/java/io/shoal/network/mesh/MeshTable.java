package io.shoal.network.mesh;

import io.shoal.api.model.PortConfig;
import io.shoal.api.model.Service;
import io.shoal.api.model.Task;
import io.shoal.api.model.TaskState;
import io.shoal.api.net.NodeNetworkView;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Which backends serve each ingress-published port, pure: for every service port published in
 * ingress mode, the running tasks' bindings of its target port (reported by the agents in
 * {@code Status.IngressBindings}), on the node that runs them.
 *
 * <p>Backends are addressed as the agent reported them, on its node's address — for a task on
 * this very node that is loopback, so single-node traffic never leaves 127.0.0.1.
 */
public final class MeshTable {
  private MeshTable() {}

  /** A published port: number and protocol. */
  public record PortKey(int port, String protocol) implements Comparable<PortKey> {
    public int compareTo(PortKey o) {
      int c = Integer.compare(port, o.port);
      return c != 0 ? c : protocol.compareTo(o.protocol);
    }
  }

  /** A published port's service and backends. */
  public record Entry(String serviceId, String serviceName, int targetPort, List<InetSocketAddress> backends) {}

  /**
   * @param nodeHost the address to reach a node's loopback-published ports from here: for the
   *     local node "127.0.0.1"; null if the node cannot be reached (its tasks are skipped)
   */
  public static Map<PortKey, Entry> compute(List<Service> services, Function<String, List<Task>> tasksOf,
      Function<String, String> nodeHost) {
    Map<PortKey, Entry> out = new TreeMap<>();
    for (Service s : services) {
      if (s.endpoint() == null) continue;
      for (PortConfig p : s.endpoint().portsOrEmpty()) {
        if (!PortConfig.INGRESS.equals(p.publishModeOrDefault()) || p.published() == 0) continue;
        List<InetSocketAddress> backends = new ArrayList<>();
        List<Task> tasks = new ArrayList<>(tasksOf.apply(s.id()));
        tasks.sort(Comparator.comparingLong(Task::slot).thenComparing(Task::id));
        for (Task t : tasks) {
          if (t.state() != TaskState.RUNNING || t.desiredState() != TaskState.RUNNING) continue;
          if (t.status().ingressBindings() == null) continue;
          String host = nodeHost.apply(t.nodeID());
          if (host == null) continue;
          for (PortConfig b : t.status().ingressBindings()) {
            if (b.target() == p.target() && b.protocolOrDefault().equals(p.protocolOrDefault())
                && PortConfig.INGRESS.equals(b.publishModeOrDefault()) && b.published() > 0) {
              backends.add(InetSocketAddress.createUnresolved(host, b.published()));
            }
          }
        }
        out.put(new PortKey(p.published(), p.protocolOrDefault()), new Entry(s.id(), s.spec().name(), p.target(), backends));
      }
    }
    return out;
  }

  /**
   * The same table from a node's network view: every ingress-published port of a service, with
   * its live tasks' addresses on the ingress network at the target port (reached from this host
   * over the ingress bridge, wherever the task runs). Tasks in {@code stopping} are left out.
   */
  public static Map<PortKey, Entry> fromView(NodeNetworkView view, java.util.Set<String> stopping) {
    Map<PortKey, Entry> out = new TreeMap<>();
    NodeNetworkView.NetworkInfo ingress = view.networks().stream().filter(NodeNetworkView.NetworkInfo::ingress).findFirst().orElse(null);
    for (NodeNetworkView.ServiceInfo s : view.services()) {
      List<NodeNetworkView.EndpointInfo> eps = new ArrayList<>();
      if (ingress != null) {
        for (NodeNetworkView.EndpointInfo e : view.endpoints()) {
          if (e.serviceId().equals(s.id()) && e.networkId().equals(ingress.id()) && !stopping.contains(e.taskId())) eps.add(e);
        }
      }
      eps.sort(Comparator.comparingLong(NodeNetworkView.EndpointInfo::slot).thenComparing(NodeNetworkView.EndpointInfo::taskId));
      for (NodeNetworkView.Port p : s.ports()) {
        if (!PortConfig.INGRESS.equals(p.mode()) || p.published() <= 0) continue;
        String proto = p.protocol() == null || p.protocol().isEmpty() ? "tcp" : p.protocol();
        List<InetSocketAddress> backends = new ArrayList<>();
        for (NodeNetworkView.EndpointInfo e : eps) {
          String ip = e.address().contains("/") ? e.address().substring(0, e.address().indexOf('/')) : e.address();
          backends.add(InetSocketAddress.createUnresolved(ip, p.target()));
        }
        out.put(new PortKey(p.published(), proto), new Entry(s.id(), s.name(), p.target(), backends));
      }
    }
    return out;
  }
}
