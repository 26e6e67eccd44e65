package io.shoal.rpc;

import io.shoal.ca.NodeRole;
import java.util.Base64;
import java.util.List;

/**
 * The leader's answer to a join: the node's new id and certificate (role = the token's), every
 * manager's cluster address (so a worker can fail over), and for a new manager what it needs to
 * start its raft server ({@code RaftNode.join(raftGroupId, raftDataKey)}).
 *
 * @param role {@code manager} or {@code worker} (Docker's API names)
 * @param managers {@code host:port} cluster addresses of all managers, leader first if known
 * @param raftGroupId the raft group to join; null for workers
 * @param raftDataKey the raft data-at-rest key, base 64; null for workers and unencrypted groups
 */
public record JoinResponse(
    String nodeId,
    String certificatePem,
    String role,
    List<String> managers,
    String raftGroupId,
    String raftDataKey) {

  public JoinResponse {
    managers = managers == null ? List.of() : List.copyOf(managers);
  }

  /** {@link #role} as a {@link NodeRole}. */
  public NodeRole nodeRole() {
    return NodeRole.fromApiName(role);
  }

  /** {@link #raftDataKey} decoded, or null. */
  public byte[] raftDataKeyBytes() {
    return raftDataKey == null ? null : Base64.getDecoder().decode(raftDataKey);
  }

  /** Encodes a raft data key for {@link #raftDataKey}; null stays null. */
  public static String encodeKey(byte[] key) {
    return key == null ? null : Base64.getEncoder().encodeToString(key);
  }

  @Override
  public String toString() {
    // The data key decrypts the whole raft log: keep it out of logs.
    return "JoinResponse[nodeId=" + nodeId + ", role=" + role + ", managers=" + managers
        + ", raftGroupId=" + raftGroupId + (raftDataKey == null ? "" : ", raftDataKey=<hidden>") + "]";
  }
}
