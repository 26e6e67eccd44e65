package io.shoal.api.model;

import java.util.Map;
import java.util.TreeMap;

/**
 * What the allocator decided for one network, kept in raft with it.
 *
 * @param subnet CIDR, e.g. {@code 10.0.1.0/24}: from the cluster's default pool or {@code --subnet}
 * @param gateway the subnet's gateway as Docker reports it ({@code --gateway}, else the first
 *     address); reserved, never handed to a task. Each node's own address on the network is in
 *     {@code nodeGateways}: the bridges of all nodes share one L2 segment, so they cannot share one
 * @param ipRange where task addresses and VIPs come from ({@code --ip-range}); null: the subnet
 * @param vni the VXLAN network identifier, from 4096
 * @param nodeGateways node id → that node's address on this network (plain, no prefix length)
 */
public record NetworkAllocation(String subnet, String gateway, String ipRange, int vni, Map<String, String> nodeGateways) {
  public NetworkAllocation {
    nodeGateways = nodeGateways == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(nodeGateways));
  }

  public NetworkAllocation withNodeGateways(Map<String, String> g) {
    return new NetworkAllocation(subnet, gateway, ipRange, vni, g);
  }

  /** The prefix length of the subnet ({@code 24} for {@code 10.0.1.0/24}). */
  public int prefixLength() {
    return Integer.parseInt(subnet.substring(subnet.indexOf('/') + 1));
  }
}
