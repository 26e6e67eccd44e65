package io.shoal.rpc;

import io.shoal.api.model.GossipKeyRecord;
import java.util.List;

/**
 * What the leader tells a node with every session answer (register and heartbeat), as SwarmKit's
 * session messages do: the role its certificate should carry now, and every manager's cluster
 * address. A node whose certificate says otherwise renews at once (promotion, demotion); a worker
 * keeps its manager list current, so it can fail over to managers that joined after it.
 *
 * @param role {@code manager} or {@code worker}: the role the CA would sign for this node now
 *     (a demoted manager stays {@code manager} until it has left raft)
 * @param managers {@code host:port} cluster addresses of the managers
 * @param gossipKeys the swarm's gossip keys (only over this mutual-TLS session; never on the API)
 * @param removedNodes nodes removed from the swarm, whose gossip this node must refuse
 * @param gossipSeeds gossip addresses to join through (the leader's own member)
 */
public record SessionInfo(String role, List<String> managers, List<GossipKeyRecord> gossipKeys,
    List<String> removedNodes, List<String> gossipSeeds) {
  public SessionInfo {
    managers = managers == null ? List.of() : List.copyOf(managers);
    gossipKeys = gossipKeys == null ? List.of() : List.copyOf(gossipKeys);
    removedNodes = removedNodes == null ? List.of() : List.copyOf(removedNodes);
    gossipSeeds = gossipSeeds == null ? List.of() : List.copyOf(gossipSeeds);
  }

  public SessionInfo(String role, List<String> managers) {
    this(role, managers, List.of(), List.of(), List.of());
  }

  /** Never prints the keys. */
  @Override
  public String toString() {
    return "SessionInfo[role=" + role + ", managers=" + managers + ", " + gossipKeys.size() + " gossip keys, removed="
        + removedNodes + ", gossip seeds=" + gossipSeeds + "]";
  }
}
