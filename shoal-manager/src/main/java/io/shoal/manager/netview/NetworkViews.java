package io.shoal.manager.netview;

import io.shoal.api.model.Cluster;
import io.shoal.api.model.Endpoint;
import io.shoal.api.model.Network;
import io.shoal.api.model.NetworkAttachment;
import io.shoal.api.model.Node;
import io.shoal.api.model.PortConfig;
import io.shoal.api.model.Service;
import io.shoal.api.model.Task;
import io.shoal.api.model.TaskState;
import io.shoal.api.net.NodeNetworkView;
import io.shoal.api.net.NodeNetworkView.EndpointInfo;
import io.shoal.api.net.NodeNetworkView.NetworkInfo;
import io.shoal.api.net.NodeNetworkView.PeerInfo;
import io.shoal.api.net.NodeNetworkView.Port;
import io.shoal.api.net.NodeNetworkView.ServiceInfo;
import io.shoal.api.net.NodeNetworkView.Vip;
import io.shoal.manager.allocator.EndpointAllocator;
import io.shoal.manager.ipam.Cidr;
import io.shoal.store.ReadTx;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Each node's {@link NodeNetworkView}, computed from the store, pure. {@link #index} reads the
 * store once (every live endpoint, service and network) so views for many nodes cost one pass;
 * {@link #forNode(ReadTx, String)} is the one-node shorthand.
 *
 * <p>Which networks a node sees: {@code ingress}, every attachable network, and every network
 * one of its own live tasks is attached to — each only once the allocator gave the node its
 * gateway address there (a view never names a network the node cannot build). Which endpoints:
 * every task attached to those networks, on any node, that is placed, desired at most RUNNING
 * and at most RUNNING, so a task leaves every view the moment a manager marks it for shutdown.
 * The view's version is the store's index ({@link ReadTx#index()}); {@link NetworkViewHub} keeps
 * it unchanged while the content is.
 */
public final class NetworkViews {
  /** Docker's option for an overlay network's MTU. */
  public static final String MTU_OPTION = "com.docker.network.driver.mtu";
  /** A 1500-byte underlay less the VXLAN header (50 bytes), as Docker's overlay driver. */
  public static final int DEFAULT_MTU = 1450;
  /** The engine label carrying a node's {@code --data-path-addr} (see the daemon's DataPath). */
  public static final String DATA_PATH_LABEL = "io.shoal.data-path-addr";

  private NetworkViews() {}

  public static NodeNetworkView forNode(ReadTx tx, String nodeId) {
    return index(tx).forNode(nodeId);
  }

  public static Index index(ReadTx tx) {
    return new Index(tx);
  }

  /** Whether a task is an endpoint: placed, and neither it nor its desired state past RUNNING. */
  public static boolean live(Task t) {
    return t.nodeID() != null && !t.nodeID().isEmpty()
        && t.desiredState().compareTo(TaskState.RUNNING) <= 0 && t.state().compareTo(TaskState.RUNNING) <= 0;
  }

  /** A node's underlay address: its {@code --data-path-addr}, else the host it registered from. */
  public static String dataPathAddr(Node n) {
    Map<String, String> labels = n.description() == null || n.description().engine() == null
        ? Map.of() : n.description().engine().labels();
    String v = labels.get(DATA_PATH_LABEL);
    if (v != null && !v.isEmpty()) return v;
    String addr = n.status() == null ? null : n.status().addr();
    if (addr == null || addr.isEmpty()) return "127.0.0.1";
    int colon = addr.lastIndexOf(':');
    return colon > 0 && addr.indexOf(':') == colon ? addr.substring(0, colon) : addr;
  }

  /** Docker's MAC for an address: 02:42 and the four bytes. */
  public static String mac(String address) {
    long a = Cidr.address(plain(address));
    return String.format("02:42:%02x:%02x:%02x:%02x", (a >> 24) & 255, (a >> 16) & 255, (a >> 8) & 255, a & 255);
  }

  static String plain(String cidr) {
    int slash = cidr.indexOf('/');
    return slash < 0 ? cidr : cidr.substring(0, slash);
  }

  /** One read of the store, from which any node's view is cut. */
  public static final class Index {
    private final long version;
    private final int dataPathPort;
    private final Map<String, Network> networks = new TreeMap<>();
    private final Map<String, List<EndpointInfo>> endpointsByNetwork = new HashMap<>();
    private final Map<String, Set<String>> networksOfNode = new HashMap<>();
    private final Map<String, List<String>> servicesByNetwork = new HashMap<>();
    private final Map<String, Service> services = new HashMap<>();
    private final Map<String, String> dataPathAddrs = new HashMap<>();

    private Index(ReadTx tx) {
      this.version = tx.index();
      Cluster c = tx.cluster();
      this.dataPathPort = c == null || c.dataPathPort() == null ? NodeNetworkView.DEFAULT_DATA_PATH_PORT : c.dataPathPort();
      for (Network n : tx.networks()) if (n.allocation() != null) networks.put(n.id(), n);
      for (Node n : tx.nodes()) dataPathAddrs.put(n.id(), dataPathAddr(n));
      for (Service s : tx.services()) {
        services.put(s.id(), s);
        Set<String> on = new TreeSet<>();
        for (EndpointAllocator.Attachment a : EndpointAllocator.attachmentsOf(tx, s)) on.add(a.networkId());
        Endpoint e = s.endpoint();
        if (e != null && e.virtualIPs() != null) e.virtualIPs().forEach(v -> on.add(v.networkID()));
        for (String nid : on) servicesByNetwork.computeIfAbsent(nid, k -> new ArrayList<>()).add(s.id());
      }
      for (Task t : tx.tasks()) {
        if (t.networksAttachments() == null || !live(t)) continue;
        Service s = services.get(t.serviceID());
        String serviceName = s == null ? "" : s.name();
        for (NetworkAttachment a : t.networksAttachments()) {
          if (!networks.containsKey(a.networkID()) || a.addresses().isEmpty()) continue;
          networksOfNode.computeIfAbsent(t.nodeID(), k -> new HashSet<>()).add(a.networkID());
          String address = a.addresses().get(0);
          endpointsByNetwork.computeIfAbsent(a.networkID(), k -> new ArrayList<>()).add(new EndpointInfo(
              a.networkID(), t.id(), serviceName + "." + t.slot() + "." + t.id(), t.serviceID(), serviceName,
              t.slot(), address, mac(address), t.nodeID(), a.aliases()));
          if (s != null) {
            List<String> of = servicesByNetwork.computeIfAbsent(a.networkID(), k -> new ArrayList<>());
            if (!of.contains(s.id())) of.add(s.id());
          }
        }
      }
    }

    public long version() {
      return version;
    }

    public NodeNetworkView forNode(String nodeId) {
      Set<String> scope = new TreeSet<>();
      for (Network n : networks.values()) {
        if (n.ingress() || Boolean.TRUE.equals(n.spec().attachable())) scope.add(n.id());
      }
      scope.addAll(networksOfNode.getOrDefault(nodeId, Set.of()));
      List<NetworkInfo> nets = new ArrayList<>();
      for (String id : scope) {
        Network n = networks.get(id);
        String gw = n.allocation().nodeGateways().get(nodeId);
        if (gw == null) continue; // not yet: the allocator gives it within its next round
        nets.add(new NetworkInfo(n.id(), n.name(), n.allocation().subnet(), gw + "/" + n.allocation().prefixLength(),
            n.allocation().vni(), mtu(n), n.ingress(), Boolean.TRUE.equals(n.spec().internal()),
            Boolean.TRUE.equals(n.spec().attachable())));
      }
      nets.sort(Comparator.comparing(NetworkInfo::name).thenComparing(NetworkInfo::id));
      Set<String> shown = new HashSet<>();
      nets.forEach(n -> shown.add(n.id()));
      List<EndpointInfo> eps = new ArrayList<>();
      Set<String> peerIds = new TreeSet<>();
      Set<String> serviceIds = new TreeSet<>();
      for (NetworkInfo n : nets) {
        for (EndpointInfo e : endpointsByNetwork.getOrDefault(n.id(), List.of())) {
          eps.add(e);
          if (!e.nodeId().equals(nodeId)) peerIds.add(e.nodeId());
        }
        serviceIds.addAll(servicesByNetwork.getOrDefault(n.id(), List.of()));
      }
      eps.sort(Comparator.comparing(EndpointInfo::networkId).thenComparing(EndpointInfo::taskId));
      List<ServiceInfo> svcs = new ArrayList<>();
      for (String sid : serviceIds) {
        Service s = services.get(sid);
        if (s == null) continue;
        Endpoint e = s.endpoint();
        String mode = e == null || e.spec() == null || e.spec().mode() == null || e.spec().mode().isEmpty() ? "vip" : e.spec().mode();
        List<Vip> vips = new ArrayList<>();
        if (e != null && e.virtualIPs() != null) {
          for (Endpoint.VirtualIP v : e.virtualIPs()) if (shown.contains(v.networkID())) vips.add(new Vip(v.networkID(), v.addr()));
        }
        List<Port> ports = new ArrayList<>();
        if (e != null) {
          for (PortConfig p : e.portsOrEmpty()) ports.add(new Port(p.protocolOrDefault(), p.target(), p.published(), p.publishModeOrDefault()));
        }
        svcs.add(new ServiceInfo(s.id(), s.name(), mode, vips, ports));
      }
      svcs.sort(Comparator.comparing(ServiceInfo::name).thenComparing(ServiceInfo::id));
      List<PeerInfo> peers = new ArrayList<>();
      for (String p : peerIds) peers.add(new PeerInfo(p, dataPathAddrs.getOrDefault(p, "")));
      return new NodeNetworkView(version, nodeId, nets, eps, svcs, peers, dataPathPort);
    }

    private static int mtu(Network n) {
      String v = n.spec().options().get(MTU_OPTION);
      if (v == null || v.isEmpty()) return DEFAULT_MTU;
      try {
        return Integer.parseInt(v.trim());
      } catch (NumberFormatException e) {
        return DEFAULT_MTU;
      }
    }
  }
}
