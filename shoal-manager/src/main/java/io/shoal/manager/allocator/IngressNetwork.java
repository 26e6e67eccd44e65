package io.shoal.manager.allocator;

import io.shoal.api.model.Cluster;
import io.shoal.api.model.Network;
import io.shoal.api.model.NetworkAllocation;
import io.shoal.api.model.Version;
import io.shoal.manager.ipam.NetworkIpam;
import java.util.List;
import java.util.Map;

/**
 * The {@code ingress} network {@code swarm init} creates, as Docker does: overlay, ingress, the
 * first block of the cluster's address pool (10.0.0.0/24 by default), VNI 4096. Services that
 * publish ports in ingress mode are attached to it, so every node's mesh reaches their tasks.
 */
public final class IngressNetwork {
  public static final String NAME = "ingress";

  private IngressNetwork() {}

  /** @param cluster whose address pool to use; null: the default pool */
  public static Network create(String id, Cluster cluster, List<Network> existing) {
    Network.NetworkSpec spec = new Network.NetworkSpec(NAME, "overlay", "swarm", false, false, true, null, false,
        Map.of(), Map.of());
    NetworkAllocation a = NetworkIpam.allocate(NAME, null, Map.of(), cluster == null ? null : cluster.defaultAddrPool(),
        cluster == null || cluster.subnetSize() == null ? NetworkIpam.DEFAULT_SUBNET_SIZE : cluster.subnetSize(), existing);
    return new Network(id, Version.ZERO, null, null, spec, a);
  }
}
