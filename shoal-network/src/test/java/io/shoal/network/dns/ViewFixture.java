package io.shoal.network.dns;

import io.shoal.api.net.NodeNetworkView;
import io.shoal.api.net.NodeNetworkView.EndpointInfo;
import io.shoal.api.net.NodeNetworkView.NetworkInfo;
import io.shoal.api.net.NodeNetworkView.Port;
import io.shoal.api.net.NodeNetworkView.ServiceInfo;
import io.shoal.api.net.NodeNetworkView.Vip;
import java.util.ArrayList;
import java.util.List;

/** Builds network views as the allocator would hand them to a node, for tests. */
public final class ViewFixture {
  private final String nodeId;
  private final List<NetworkInfo> networks = new ArrayList<>();
  private final List<EndpointInfo> endpoints = new ArrayList<>();
  private final List<ServiceInfo> services = new ArrayList<>();
  private long version = 1;

  public ViewFixture(String nodeId) {
    this.nodeId = nodeId;
  }

  /** A network {@code 10.0.<n>.0/24} whose gateway here is {@code .1}. */
  public ViewFixture network(String id, String name, int n) {
    return network(id, name, n, false, false);
  }

  public ViewFixture network(String id, String name, int n, boolean ingress, boolean internal) {
    networks.add(new NetworkInfo(id, name, "10.0." + n + ".0/24", "10.0." + n + ".1/24", 4096 + n, 1450, ingress, internal, true));
    return this;
  }

  private String prefixOf(String networkId) {
    NetworkInfo n = networks.stream().filter(x -> x.id().equals(networkId)).findFirst().orElseThrow();
    return n.subnet().substring(0, n.subnet().lastIndexOf('.') + 1);
  }

  /** A service with a VIP {@code .<vipHost>} on each given network. */
  public ViewFixture vipService(String id, String name, int vipHost, List<Port> ports, String... networkIds) {
    List<Vip> vips = new ArrayList<>();
    for (String n : networkIds) vips.add(new Vip(n, prefixOf(n) + vipHost + "/24"));
    services.add(new ServiceInfo(id, name, "vip", vips, ports));
    return this;
  }

  public ViewFixture dnsrrService(String id, String name) {
    services.add(new ServiceInfo(id, name, "dnsrr", List.of(), List.of()));
    return this;
  }

  /** A task of a service on a network at {@code .<host>}, on {@code node}. */
  public ViewFixture task(String taskId, String serviceId, long slot, String networkId, int host, String node, String... aliases) {
    String svcName = services.stream().filter(s -> s.id().equals(serviceId)).findFirst().orElseThrow().name();
    String addr = prefixOf(networkId) + host;
    String[] b = addr.split("\\.");
    String mac = String.format("02:42:%02x:%02x:%02x:%02x", Integer.parseInt(b[0]), Integer.parseInt(b[1]), Integer.parseInt(b[2]), Integer.parseInt(b[3]));
    endpoints.add(new EndpointInfo(networkId, taskId, svcName + "." + slot + "." + taskId, serviceId, svcName, slot,
        addr + "/24", mac, node, List.of(aliases)));
    return this;
  }

  public ViewFixture version(long v) {
    version = v;
    return this;
  }

  public NodeNetworkView build() {
    return new NodeNetworkView(version, nodeId, networks, endpoints, services, List.of());
  }
}
