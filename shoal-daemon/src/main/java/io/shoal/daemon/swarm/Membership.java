package io.shoal.daemon.swarm;

import io.shoal.api.model.Node;
import io.shoal.ca.NodeRole;
import io.shoal.raft.PeerStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The rules that tie a node's role in the store (what {@code docker node promote/demote} wrote)
 * to its certificate and to raft membership. Pure functions of a store snapshot and raft's view;
 * the leader's CA, session answers and {@link RoleReconciler} apply them.
 *
 * <p>As in SwarmKit, a promotion takes effect at once (the next certificate is a manager's and
 * the node joins raft by itself), while a demotion first takes the node out of raft — only then is
 * its next certificate a worker's, so a manager never loses its raft credentials while it is still
 * counted in the quorum.
 */
public final class Membership {
  private Membership() {}

  /** Docker's message for the last manager. */
  public static final String LAST_MANAGER = "attempting to demote the last manager of the swarm";
  /** Docker's message when the demotion would leave raft without quorum. */
  public static final String LOSES_QUORUM = "can't remove member from the raft: this would result in a loss of quorum";

  /**
   * The role the CA signs for {@code node} now: manager if the store says so, or while it is
   * still a raft member (demotion under way); worker otherwise.
   */
  public static NodeRole certificateRole(Node node, Set<String> raftMembers) {
    if ("manager".equals(node.spec().role()) || raftMembers.contains(node.id())) return NodeRole.MANAGER;
    return NodeRole.WORKER;
  }

  /**
   * Why {@code nodeId} may not leave raft now, or empty if it may: never the last member, and
   * never when the members left would have fewer reachable peers than their quorum (Swarm's
   * CanRemoveMember: the leader and {@code self} count as reachable). A node that is not a member
   * (promoted, not yet joined) may always be demoted.
   */
  public static Optional<String> removalRefusal(String nodeId, String self, List<PeerStatus> peers) {
    if (peers.stream().noneMatch(p -> p.id().equals(nodeId))) return Optional.empty();
    if (peers.size() <= 1) return Optional.of(LAST_MANAGER);
    int reachable = 0;
    for (PeerStatus p : peers) {
      if (p.id().equals(nodeId)) continue;
      if (p.leader() || p.id().equals(self) || p.reachability() == PeerStatus.Reachability.REACHABLE) reachable++;
    }
    int quorum = (peers.size() - 1) / 2 + 1;
    return reachable >= quorum ? Optional.empty() : Optional.of(LOSES_QUORUM);
  }

  /**
   * Raft members the store says are workers now, or does not know any more (a demoted node
   * force-removed before it left raft): the leader removes them, one at a time. A joining
   * manager's Node is written before its certificate exists, so it is never taken for gone.
   */
  public static List<String> pendingRemovals(Collection<Node> nodes, Set<String> raftMembers) {
    List<String> out = new ArrayList<>();
    Set<String> known = new HashSet<>();
    for (Node n : nodes) {
      known.add(n.id());
      if (raftMembers.contains(n.id()) && !"manager".equals(n.spec().role())) out.add(n.id());
    }
    for (String m : new TreeSet<>(raftMembers)) {
      if (!known.contains(m)) out.add(m);
    }
    return out;
  }

  /**
   * The cluster addresses of the managers, for session answers and join responses: nodes whose
   * role is manager and whose address is known, in the store's order.
   */
  public static List<String> managerAddresses(Collection<Node> nodes) {
    List<String> out = new ArrayList<>();
    for (Node n : nodes) {
      if ("manager".equals(n.spec().role()) && n.managerStatus() != null && n.managerStatus().addr() != null
          && !out.contains(n.managerStatus().addr())) {
        out.add(n.managerStatus().addr());
      }
    }
    return out;
  }
}
