package io.shoal.daemon.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.model.Node;
import io.shoal.api.model.Version;
import io.shoal.ca.NodeRole;
import io.shoal.raft.PeerStatus;
import io.shoal.raft.PeerStatus.Reachability;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MembershipTest {
  private static Node node(String id, String role, String managerAddr) {
    return new Node(id, Version.ZERO, null, null, new Node.NodeSpec(null, Map.of(), role, "active"), null,
        new Node.Status(Node.READY, null, id + ":2377"), managerAddr == null ? null : new Node.ManagerStatus(null, "reachable", managerAddr));
  }

  private static PeerStatus peer(String id, boolean leader, Reachability r) {
    return new PeerStatus(id, id + ":2378", leader, r, null);
  }

  @Test
  void promotionTakesEffectAtOnceDemotionOnlyAfterLeavingRaft() {
    assertThat(Membership.certificateRole(node("w", "manager", null), Set.of())).isEqualTo(NodeRole.MANAGER);
    assertThat(Membership.certificateRole(node("m", "worker", null), Set.of("m", "a"))).as("still in raft").isEqualTo(NodeRole.MANAGER);
    assertThat(Membership.certificateRole(node("m", "worker", null), Set.of("a"))).isEqualTo(NodeRole.WORKER);
  }

  @Test
  void pendingRemovalsAreRaftMembersTheStoreCallsWorkers() {
    List<Node> nodes = List.of(node("a", "manager", "a:1"), node("b", "worker", "b:1"), node("c", "worker", null));
    assertThat(Membership.pendingRemovals(nodes, Set.of("a", "b"))).containsExactly("b");
    assertThat(Membership.pendingRemovals(nodes, Set.of("a"))).isEmpty();
    assertThat(Membership.pendingRemovals(nodes, Set.of("a", "gone"))).as("a member the store no longer knows").containsExactly("gone");
  }

  @Test
  void removalKeepsQuorumOrIsRefusedWithSwarmsWords() {
    List<PeerStatus> three = List.of(peer("a", true, Reachability.REACHABLE), peer("b", false, Reachability.REACHABLE),
        peer("c", false, Reachability.REACHABLE));
    assertThat(Membership.removalRefusal("c", "a", three)).isEmpty();
    // 3 members, b unreachable: removing c leaves {a, b} whose quorum is 2, with only a reachable
    List<PeerStatus> oneDown = List.of(peer("a", true, Reachability.REACHABLE), peer("b", false, Reachability.UNREACHABLE),
        peer("c", false, Reachability.REACHABLE));
    assertThat(Membership.removalRefusal("c", "a", oneDown)).contains(Membership.LOSES_QUORUM);
    assertThat(Membership.removalRefusal("b", "a", oneDown)).as("removing the unreachable one is safe").isEmpty();
    assertThat(Membership.removalRefusal("a", "a", List.of(peer("a", true, Reachability.REACHABLE))))
        .contains(Membership.LAST_MANAGER);
    assertThat(Membership.removalRefusal("x", "a", three)).as("not a member: nothing to remove").isEmpty();
    // the asking follower counts itself even when the leader's view of it is unknown
    List<PeerStatus> followerView = List.of(peer("a", true, Reachability.REACHABLE), peer("b", false, Reachability.UNKNOWN),
        peer("c", false, Reachability.UNKNOWN));
    assertThat(Membership.removalRefusal("c", "b", followerView)).isEmpty();
    assertThat(Membership.removalRefusal("c", "a", followerView)).contains(Membership.LOSES_QUORUM);
  }

  @Test
  void managerAddressesAreThoseOfManagersWithAKnownAddress() {
    List<Node> nodes = List.of(node("a", "manager", "a:1"), node("b", "worker", "b:1"), node("c", "manager", null),
        node("d", "manager", "d:1"));
    assertThat(Membership.managerAddresses(nodes)).containsExactly("a:1", "d:1");
  }
}
