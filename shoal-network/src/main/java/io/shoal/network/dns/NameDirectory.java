package io.shoal.network.dns;

import io.shoal.api.net.NodeNetworkView;
import io.shoal.api.net.NodeNetworkView.EndpointInfo;
import io.shoal.api.net.NodeNetworkView.NetworkInfo;
import io.shoal.api.net.NodeNetworkView.ServiceInfo;
import io.shoal.network.ip.Cidr;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The names one node's resolver answers, per network, computed from the node's network view:
 * pure and immutable, rebuilt on every view change (a few thousand entries at most, built in
 * well under a millisecond) and swapped in atomically by the server.
 *
 * <p>Per network, as Docker's embedded DNS does: {@code <service>} is the service's VIP on that
 * network (with {@code --endpoint-mode dnsrr}: its tasks' addresses), {@code tasks.<service>}
 * the tasks' addresses, every network alias of the service the same as the service name (and
 * {@code tasks.<alias>}), and each task's name its own address. A caller sees only the networks
 * its container is attached to ({@link #scope}); {@code <name>.<network>} picks one of them.
 *
 * <p>Tasks in {@code stopping} are left out of the answers (but still identify their caller):
 * the agent says a task is stopping before its container gets SIGTERM, earlier than the
 * managers' next view can say so.
 */
public final class NameDirectory {
  /** Answers for a name: the addresses and how long a caller may keep them. */
  public record Hit(List<Integer> addresses, long ttl, boolean perTask) {
    public Hit {
      addresses = List.copyOf(addresses);
    }
  }

  /** A network as the resolver needs it. */
  public record Net(String id, String name, Cidr subnet, boolean internal) {}

  /**
   * VIPs change only when a service is removed and created again, so callers may keep them a
   * little; task addresses change whenever a task dies, so they are never cached.
   */
  public static final long VIP_TTL = 5;
  public static final long TASK_TTL = 0;

  private final List<Net> nets;
  private final Map<String, Net> netById;
  private final Map<String, Map<String, Hit>> names;
  private final Map<String, Map<Integer, String>> reverse;
  private final Map<Integer, List<String>> callers;

  private NameDirectory(List<Net> nets, Map<String, Map<String, Hit>> names,
      Map<String, Map<Integer, String>> reverse, Map<Integer, List<String>> callers) {
    this.nets = nets;
    this.netById = new HashMap<>();
    nets.forEach(n -> netById.put(n.id(), n));
    this.names = names;
    this.reverse = reverse;
    this.callers = callers;
  }

  public static NameDirectory empty() {
    return new NameDirectory(List.of(), Map.of(), Map.of(), Map.of());
  }

  public static NameDirectory of(NodeNetworkView view, Set<String> stopping) {
    List<Net> nets = new ArrayList<>();
    Map<String, Net> byId = new HashMap<>();
    for (NetworkInfo n : view.networks()) {
      Net net = new Net(n.id(), lower(n.name()), Cidr.parse(n.subnet()), n.internal());
      nets.add(net);
      byId.put(n.id(), net);
    }
    // endpoints per (network, service), in slot order so answers are stable before shuffling
    Map<String, Map<String, List<EndpointInfo>>> live = new HashMap<>();
    Map<String, List<EndpointInfo>> byTask = new LinkedHashMap<>();
    for (EndpointInfo e : view.endpoints()) {
      if (!byId.containsKey(e.networkId())) continue;
      byTask.computeIfAbsent(e.taskId(), k -> new ArrayList<>()).add(e);
      if (stopping.contains(e.taskId())) continue;
      live.computeIfAbsent(e.networkId(), k -> new HashMap<>())
          .computeIfAbsent(e.serviceId(), k -> new ArrayList<>()).add(e);
    }
    live.values().forEach(m -> m.values().forEach(l -> l.sort((a, b) -> a.slot() != b.slot()
        ? Long.compare(a.slot(), b.slot()) : a.taskId().compareTo(b.taskId()))));

    Map<String, Map<String, Hit>> names = new HashMap<>();
    Map<String, Map<Integer, String>> reverse = new HashMap<>();
    for (Net net : nets) {
      Map<String, Hit> here = new HashMap<>();
      Map<Integer, String> ptr = new HashMap<>();
      Map<String, List<EndpointInfo>> services = live.getOrDefault(net.id(), Map.of());
      Map<String, ServiceInfo> infoById = new HashMap<>();
      view.services().forEach(s -> infoById.put(s.id(), s));
      Set<String> serviceIds = new LinkedHashSet<>();
      for (ServiceInfo s : view.services()) {
        if (s.vips().stream().anyMatch(v -> v.networkId().equals(net.id())) || services.containsKey(s.id())) {
          serviceIds.add(s.id());
        }
      }
      for (String sid : serviceIds) {
        ServiceInfo s = infoById.get(sid);
        List<EndpointInfo> eps = services.getOrDefault(sid, List.of());
        List<Integer> taskAddrs = eps.stream().map(e -> Cidr.parse(e.address()).address()).toList();
        Hit tasks = taskAddrs.isEmpty() ? null : new Hit(taskAddrs, TASK_TTL, true);
        Hit service = tasks;
        if (!"dnsrr".equals(s.endpointMode())) {
          service = s.vips().stream().filter(v -> v.networkId().equals(net.id())).findFirst()
              .map(v -> new Hit(List.of(Cidr.parse(v.address()).address()), VIP_TTL, false)).orElse(null);
          if (service != null) ptr.put(service.addresses().get(0), lower(s.name()) + "." + net.name());
        }
        Set<String> serviceNames = new LinkedHashSet<>();
        serviceNames.add(lower(s.name()));
        eps.forEach(e -> e.aliases().forEach(a -> serviceNames.add(lower(a))));
        for (String n : serviceNames) {
          if (service != null) here.putIfAbsent(n, service);
          if (tasks != null) here.putIfAbsent("tasks." + n, tasks);
        }
        for (EndpointInfo e : eps) {
          int a = Cidr.parse(e.address()).address();
          if (e.taskName() != null && !e.taskName().isEmpty()) {
            here.putIfAbsent(lower(e.taskName()), new Hit(List.of(a), TASK_TTL, false));
            ptr.put(a, lower(e.taskName()) + "." + net.name());
          }
        }
      }
      names.put(net.id(), here);
      reverse.put(net.id(), ptr);
    }

    // a caller is known by its source address: all the networks of the task that owns it, the
    // network it asked through first
    Map<Integer, List<String>> callers = new HashMap<>();
    for (List<EndpointInfo> eps : byTask.values()) {
      for (EndpointInfo e : eps) {
        List<String> scope = new ArrayList<>();
        scope.add(e.networkId());
        for (Net n : nets) {
          if (!n.id().equals(e.networkId()) && eps.stream().anyMatch(o -> o.networkId().equals(n.id()))) scope.add(n.id());
        }
        callers.put(Cidr.parse(e.address()).address(), List.copyOf(scope));
      }
    }
    return new NameDirectory(List.copyOf(nets), names, reverse, callers);
  }

  /**
   * The networks a caller may resolve names on, the one it asked through first: a task's
   * attachments, or for any other container (say {@code docker run --network} on an attachable
   * network) the network whose subnet holds its address; empty for a stranger.
   */
  public List<String> scope(int source) {
    List<String> known = callers.get(source);
    if (known != null) return known;
    for (Net n : nets) {
      if (n.subnet().contains(source)) return List.of(n.id());
    }
    return List.of();
  }

  /** The first network in scope that knows the name; {@code <name>.<network>} asks one network. */
  public Optional<Hit> lookup(String name, List<String> scope) {
    String q = trim(name);
    for (String id : scope) {
      Hit h = names.getOrDefault(id, Map.of()).get(q);
      if (h != null) return Optional.of(h);
    }
    for (String id : scope) {
      Net n = netById.get(id);
      if (n != null && q.endsWith("." + n.name())) {
        Hit h = names.getOrDefault(id, Map.of()).get(q.substring(0, q.length() - n.name().length() - 1));
        if (h != null) return Optional.of(h);
      }
    }
    return Optional.empty();
  }

  /** A PTR answer for an address on a network in scope. */
  public Optional<String> reverse(int address, List<String> scope) {
    for (String id : scope) {
      String n = reverse.getOrDefault(id, Map.of()).get(address);
      if (n != null) return Optional.of(n);
    }
    return Optional.empty();
  }

  /** True when the address lies in a subnet of a network in scope (its PTR is ours to answer). */
  public boolean inScopeSubnet(int address, List<String> scope) {
    return scope.stream().map(netById::get).anyMatch(n -> n != null && n.subnet().contains(address));
  }

  /** Internal networks have no way out: their callers' other names are not forwarded. */
  public boolean allInternal(List<String> scope) {
    return !scope.isEmpty() && scope.stream().map(netById::get).allMatch(n -> n != null && n.internal());
  }

  public List<Net> networks() {
    return nets;
  }

  private static String trim(String name) {
    String q = lower(name);
    return q.endsWith(".") ? q.substring(0, q.length() - 1) : q;
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
