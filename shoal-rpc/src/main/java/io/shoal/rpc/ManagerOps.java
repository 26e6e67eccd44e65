package io.shoal.rpc;

import io.shoal.ca.NodeIdentity;

/**
 * Raft membership changes requested over the cluster port, manager certificates only. The
 * daemon implements them on the leader with {@code RaftNode.addPeer/removePeer}; elsewhere it
 * throws {@code ShoalException.NotLeader} and the client moves to the leader.
 *
 * <p>Threading: called on the server's blocking-call executor; may block until the raft
 * configuration change commits (the client waits up to 60 s).
 */
public interface ManagerOps {

  /** Adds {@code nodeId}'s raft server at {@code raftAddr} to the group (a new or promoted manager). */
  void addManager(NodeIdentity caller, String nodeId, String raftAddr);

  /** Removes {@code nodeId} from the raft group (demote, leave, node rm). */
  void removeManager(NodeIdentity caller, String nodeId);
}
