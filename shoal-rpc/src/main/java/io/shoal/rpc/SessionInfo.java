package io.shoal.rpc;

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
 */
public record SessionInfo(String role, List<String> managers) {
  public SessionInfo {
    managers = managers == null ? List.of() : List.copyOf(managers);
  }
}
