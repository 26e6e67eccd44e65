package io.shoal.network.vip;

import io.shoal.api.net.NodeNetworkView;
import io.shoal.api.net.NodeNetworkView.EndpointInfo;
import io.shoal.api.net.NodeNetworkView.NetworkInfo;
import io.shoal.api.net.NodeNetworkView.Port;
import io.shoal.api.net.NodeNetworkView.ServiceInfo;
import io.shoal.api.net.NodeNetworkView.Vip;
import io.shoal.network.ip.Cidr;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What Shoal's nftables table must hold for one node's view, pure.
 *
 * <p><b>VIPs.</b> Each service VIP maps (any protocol, any port, as Swarm's VIPs do) to a chain
 * that marks the connection for source NAT and DNATs to a random live task of the service on
 * that network ({@code numgen random mod N}); the port is kept. The client and the backend share
 * the network's subnet, so without source NAT the backend would answer the client directly at
 * L2, from an address the client never called; hence every VIP connection leaves with this
 * node's gateway address on that network as its source (which also makes the hairpin case — a
 * task reaching itself through its own VIP — work).
 *
 * <p><b>Routing mesh.</b> Each ingress-published {@code proto . port}, on every local address
 * but loopback, DNATs to a random live task of the service on the ingress network, at its
 * target port. A task on this node is reached without source NAT, so it sees the client's own
 * address and answers through this node (its default gateway). A task on another node is marked
 * for source NAT to this node's ingress gateway, so its answer comes back over the overlay to
 * the node that holds the connection.
 *
 * <p>Tasks in {@code stopping} are no backends: the agent is about to stop them. A VIP or port
 * without backends gets no element, so the connection is refused by this host, not blackholed.
 */
public final class NftModel {
  private NftModel() {}

  /** The packet mark bit that asks the postrouting chain for source NAT. */
  public static final int SNAT_MARK = 0x04000000;

  /** The regular chain the postrouting hook jumps to. */
  public static final String SNAT_CHAIN = "nat_out";

  public static Ruleset desired(NodeNetworkView view, Set<String> stopping, Set<String> refusedPorts) {
    SortedMap<String, List<String>> chains = new TreeMap<>();
    SortedMap<String, String> vips = new TreeMap<>();
    SortedMap<String, String> mesh = new TreeMap<>();
    Map<String, NetworkInfo> nets = new HashMap<>();
    view.networks().forEach(n -> nets.put(n.id(), n));

    Map<String, List<EndpointInfo>> byServiceNet = new HashMap<>();
    for (EndpointInfo e : view.endpoints()) {
      if (stopping.contains(e.taskId()) || !nets.containsKey(e.networkId())) continue;
      byServiceNet.computeIfAbsent(e.serviceId() + "/" + e.networkId(), k -> new ArrayList<>()).add(e);
    }
    byServiceNet.values().forEach(l -> l.sort(Comparator.comparing(EndpointInfo::address)));

    for (ServiceInfo s : view.services()) {
      if ("dnsrr".equals(s.endpointMode())) continue;
      for (Vip v : s.vips()) {
        if (!nets.containsKey(v.networkId())) continue;
        List<EndpointInfo> eps = byServiceNet.getOrDefault(s.id() + "/" + v.networkId(), List.of());
        if (eps.isEmpty()) continue;
        String vip = Cidr.parse(v.address()).ip();
        String chain = "vip_" + dashed(vip);
        List<String> map = new ArrayList<>();
        for (int i = 0; i < eps.size(); i++) map.add(i + " : " + Cidr.parse(eps.get(i).address()).ip());
        chains.put(chain, List.of(
            "meta mark set meta mark | " + hex(SNAT_MARK),
            "dnat to numgen random mod " + eps.size() + " map { " + String.join(", ", map) + " }"));
        vips.put(vip, "goto " + chain);
      }
    }

    NetworkInfo ingress = view.networks().stream().filter(NetworkInfo::ingress).findFirst().orElse(null);
    if (ingress != null) {
      for (ServiceInfo s : view.services()) {
        List<EndpointInfo> eps = byServiceNet.getOrDefault(s.id() + "/" + ingress.id(), List.of());
        for (Port p : s.ports()) {
          if (!"ingress".equals(p.mode()) || p.published() <= 0 || eps.isEmpty()) continue;
          String proto = p.protocol() == null || p.protocol().isEmpty() ? "tcp" : p.protocol();
          if (refusedPorts.contains(p.published() + "/" + proto)) continue;
          String chain = "mesh_" + proto + "_" + p.published();
          List<String> choices = new ArrayList<>();
          for (int i = 0; i < eps.size(); i++) {
            EndpointInfo e = eps.get(i);
            boolean local = view.nodeId().equals(e.nodeId());
            String ip = Cidr.parse(e.address()).ip();
            String ep = "mep_" + proto + "_" + dashed(ip) + "_" + p.target() + (local ? "" : "_r");
            String dnat = "meta l4proto " + proto + " dnat to " + ip + ":" + p.target();
            chains.put(ep, local
                ? List.of(dnat)
                : List.of("meta mark set meta mark | " + hex(SNAT_MARK), dnat));
            choices.add(i + " : goto " + ep);
          }
          chains.put(chain, List.of("numgen random mod " + eps.size() + " vmap { " + String.join(", ", choices) + " }"));
          mesh.put(proto + " . " + p.published(), "goto " + chain);
        }
      }
    }

    // marked connections leave with this node's gateway address on the backend's network
    List<String> snat = new ArrayList<>();
    snat.add("meta mark & " + hex(SNAT_MARK) + " == 0 return");
    for (NetworkInfo n : view.networks()) {
      if (n.gateway() == null || n.gateway().isEmpty()) continue;
      snat.add("ip daddr " + Cidr.parse(n.subnet()).network() + " snat to " + Cidr.parse(n.gateway()).ip());
    }
    chains.put(SNAT_CHAIN, snat);
    return new Ruleset(chains, vips, mesh);
  }

  private static String dashed(String ip) {
    return ip.replace('.', '_');
  }

  private static String hex(int v) {
    return "0x" + Integer.toHexString(v);
  }
}
