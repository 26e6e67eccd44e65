package io.shoal.network.overlay;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** The planner's two inputs: what the view wants on this node and what the node has. */
public final class OverlayState {
  private OverlayState() {}

  /**
   * One network this node must carry.
   *
   * @param name the engine network's name (the Shoal network's name)
   * @param gateway this node's address on it, plain (the bridge's address)
   * @param prefix the subnet's prefix length
   * @param remotes IPv4 (plain) → data path address of the node holding it, for every endpoint
   *     on another node (tasks, and other nodes' gateways when known)
   */
  public record WantedNetwork(String networkId, String name, String subnet, String gateway, int prefix, int vni,
      int mtu, boolean internal, Map<String, String> remotes) {
    public WantedNetwork {
      remotes = Map.copyOf(remotes);
    }

    public String bridge() {
      return OverlayNames.bridge(networkId);
    }

    public String vxlan() {
      return OverlayNames.vxlan(networkId);
    }
  }

  /**
   * @param nodeId this node: engine networks labelled with another node belong to that node
   *     (several test nodes can share an engine) and are neither made nor removed here
   * @param localAddr the local address of the VXLAN devices (this node's data path address)
   * @param port the VXLAN UDP port
   */
  public record Desired(String nodeId, String localAddr, int port, List<WantedNetwork> networks) {
    public Desired {
      networks = List.copyOf(networks);
    }
  }

  /** An engine network that carries Shoal's label. */
  public record EngineNet(String engineId, String name, String networkId, String nodeId, String subnet,
      String gateway, String bridge) {}

  /** A kernel link of Shoal's (name starts with a Shoal prefix). {@code vni}/{@code port}/{@code local} for VXLAN only. */
  public record Link(String name, String kind, String master, String mac, int mtu, boolean up, int vni, int port,
      String local) {}

  /** A static FDB entry on a VXLAN device ({@code self}, towards {@code dst}). */
  public record Fdb(String dev, String mac, String dst) {}

  /** A permanent neighbour entry on a VXLAN device. */
  public record Neigh(String dev, String ip, String mac) {}

  /**
   * What the node has.
   *
   * @param acceptRules bridges that have the DOCKER-USER accept rule for DNAT'd traffic
   */
  public record Observed(List<EngineNet> engineNets, List<Link> links, List<Fdb> fdb, List<Neigh> neigh,
      Set<String> acceptRules) {
    public Observed {
      engineNets = List.copyOf(engineNets);
      links = List.copyOf(links);
      fdb = List.copyOf(fdb);
      neigh = List.copyOf(neigh);
      acceptRules = Set.copyOf(acceptRules);
    }

    public static Observed empty() {
      return new Observed(List.of(), List.of(), List.of(), List.of(), Set.of());
    }
  }
}
