package io.shoal.daemon.swarm;

import io.shoal.network.dns.DnsServer;
import io.shoal.network.dns.ServiceDiscovery;
import io.shoal.network.dns.Upstreams;
import io.shoal.network.mesh.LoopbackMesh;
import io.shoal.network.mesh.RoutingMesh;
import io.shoal.network.node.NodeNetworking;
import io.shoal.network.vip.Commands;
import io.shoal.network.vip.KernelBalancer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a node's network view consumers: the resolver on port 53 of each gateway address, the
 * userspace mesh fed from the view, and — where {@code nft} can be run (root) — Shoal's nftables
 * table for VIPs and the kernel mesh. Nothing is bound or loaded before the first view arrives.
 */
final class NodeNetworks {
  private static final Logger log = LoggerFactory.getLogger(NodeNetworks.class);
  /** The nftables table every node keeps its VIP and mesh rules in. */
  static final String TABLE = "shoal";

  private NodeNetworks() {}

  /**
   * @param dataPath the node's overlay data path: first, so a new network's bridge and gateway
   *     address exist before the resolver binds there and the balancer puts VIPs on it
   */
  static NodeNetworking start(NodeNetworking.Consumer dataPath, RoutingMesh mesh, RandomGenerator random) {
    List<NodeNetworking.Consumer> consumers = new ArrayList<>();
    consumers.add(dataPath);
    try {
      String conf = Files.exists(Path.of("/etc/resolv.conf")) ? Files.readString(Path.of("/etc/resolv.conf")) : "";
      Upstreams up = new Upstreams(Upstreams.parseResolvConf(conf), Duration.ofSeconds(2));
      consumers.add(new ServiceDiscovery(new DnsServer(53, up, random)));
    } catch (IOException e) {
      log.error("service discovery cannot start: {}", e.toString());
    }
    LoopbackMesh loopback = new LoopbackMesh(mesh);
    consumers.add(loopback); // before the kernel: it finds the ports another program holds
    Commands cmd = new Commands(null);
    if (cmd.nftUsable()) {
      consumers.add(new KernelBalancer(TABLE, cmd, loopback::refusedPorts));
    } else {
      log.warn("nft cannot be run here (not root, or nftables missing): no VIPs and no kernel routing mesh on this node;"
          + " published ports are served by the userspace proxy only");
    }
    return new NodeNetworking(consumers);
  }
}
