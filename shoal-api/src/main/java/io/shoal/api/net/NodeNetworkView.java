package io.shoal.api.net;

import java.util.List;

/**
 * Everything one node's data path and resolver need to know about the overlay networks it takes
 * part in, computed by a manager from the store (the allocator's decisions: subnets, VNIs, VIPs,
 * task and node-gateway addresses) and handed to the node: in-process on a manager, over the
 * cluster port to a worker. Pure data; {@code version} grows with every change so a node can
 * ask "anything newer than N?".
 *
 * <p>Scope: the networks that have a task desired RUNNING on this node, plus {@code ingress}
 * on every node (the routing mesh answers everywhere), plus every attachable network. For those
 * networks, every live endpoint in the swarm (a task whose desired and actual state are both at
 * most RUNNING), every service attached to them, and every peer node that holds one of their
 * endpoints. A task leaves {@code endpoints} as soon as a manager marks it for shutdown, which is
 * before its node stops it.
 *
 * <p>Lists are sorted (networks by name, endpoints by network then task id, services by name,
 * peers by node id), so two views with the same content are {@link #sameContent equal but for
 * their version}.
 *
 * @param version grows with every change of this node's view; an unchanged view keeps it
 * @param dataPathPort the UDP port of the VXLAN data path ({@code swarm init --data-path-port},
 *     4789 by default), the same on every node
 */
public record NodeNetworkView(
    long version,
    String nodeId,
    List<NetworkInfo> networks,
    List<EndpointInfo> endpoints,
    List<ServiceInfo> services,
    List<PeerInfo> peers,
    int dataPathPort) {

  public static final int DEFAULT_DATA_PATH_PORT = 4789;

  public NodeNetworkView {
    networks = List.copyOf(networks);
    endpoints = List.copyOf(endpoints);
    services = List.copyOf(services);
    peers = List.copyOf(peers);
    if (dataPathPort == 0) dataPathPort = DEFAULT_DATA_PATH_PORT;
  }

  /** A view with the default data path port. */
  public NodeNetworkView(long version, String nodeId, List<NetworkInfo> networks, List<EndpointInfo> endpoints,
      List<ServiceInfo> services, List<PeerInfo> peers) {
    this(version, nodeId, networks, endpoints, services, peers, DEFAULT_DATA_PATH_PORT);
  }

  /** An empty view: what a node holds before the first one arrives. */
  public static NodeNetworkView empty(String nodeId) {
    return new NodeNetworkView(0, nodeId, List.of(), List.of(), List.of(), List.of());
  }

  /** The same view at another version. */
  public NodeNetworkView withVersion(long v) {
    return new NodeNetworkView(v, nodeId, networks, endpoints, services, peers, dataPathPort);
  }

  /** Whether {@code o} says the same as this one, whatever the versions. */
  public boolean sameContent(NodeNetworkView o) {
    return o != null && withVersion(0).equals(o.withVersion(0));
  }

  /**
   * One overlay network as this node sees it.
   *
   * @param subnet CIDR, e.g. {@code 10.0.1.0/24}
   * @param gateway this node's own address on the network (CIDR form, e.g. {@code 10.0.1.3/24}):
   *     the bridge's address here, the containers' default gateway, where the resolver answers
   * @param vni the VXLAN network identifier (from 4096, as Docker)
   * @param mtu the containers' MTU (underlay MTU − 50)
   */
  public record NetworkInfo(
      String id, String name, String subnet, String gateway, int vni, int mtu,
      boolean ingress, boolean internal, boolean attachable) {}

  /**
   * One task's attachment to one network.
   *
   * @param address CIDR form, e.g. {@code 10.0.1.7/24}
   * @param mac {@code 02:42:} followed by the four address bytes in hex, as Docker derives it
   * @param nodeId the node running the task (this node or a peer)
   * @param aliases the service attachment's network aliases
   */
  public record EndpointInfo(
      String networkId, String taskId, String taskName, String serviceId, String serviceName,
      long slot, String address, String mac, String nodeId, List<String> aliases) {
    public EndpointInfo {
      aliases = List.copyOf(aliases);
    }
  }

  /**
   * A service attached to one or more of the view's networks.
   *
   * @param endpointMode {@code vip} or {@code dnsrr}
   * @param vips one per attached network (none in dnsrr mode)
   * @param ports the published ports as allocated (ingress and host mode)
   */
  public record ServiceInfo(
      String id, String name, String endpointMode, List<Vip> vips, List<Port> ports) {
    public ServiceInfo {
      vips = List.copyOf(vips);
      ports = List.copyOf(ports);
    }
  }

  /** A service's virtual address on one network, CIDR form ({@code 10.0.1.2/24}). */
  public record Vip(String networkId, String address) {}

  /** A published port: {@code protocol} tcp|udp|sctp, {@code mode} ingress|host. */
  public record Port(String protocol, int target, int published, String mode) {}

  /** A node holding endpoints on this node's networks, reached at its data path address. */
  public record PeerInfo(String nodeId, String dataPathAddr) {}
}
