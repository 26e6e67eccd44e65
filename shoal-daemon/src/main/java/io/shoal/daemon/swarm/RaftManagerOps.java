package io.shoal.daemon.swarm;

import io.shoal.api.error.ShoalException;
import io.shoal.api.model.Node;
import io.shoal.ca.NodeIdentity;
import io.shoal.raft.RaftNode;
import io.shoal.rpc.ManagerOps;
import io.shoal.store.MemoryStore;

/**
 * Raft membership on request of a manager: a joining manager adds itself (and only itself) once
 * the store says it is a manager; removal goes through the leader. Ratis forwards to the leader
 * and returns once the new member has caught up and the change is committed.
 */
final class RaftManagerOps implements ManagerOps {
  private final MemoryStore store;
  private final RaftNode raft;

  RaftManagerOps(MemoryStore store, RaftNode raft) {
    this.store = store;
    this.raft = raft;
  }

  @Override
  public void addManager(NodeIdentity caller, String nodeId, String raftAddr) {
    if (!caller.nodeId().equals(nodeId)) throw new ShoalException.Forbidden("a manager may only add itself to raft");
    // only the leader's store is sure to know a node that joined a moment ago
    if (!raft.isLeader()) throw new ShoalException.NotLeader("this manager is not the leader");
    Node n = store.view(tx -> tx.node(nodeId));
    if (n == null || !"manager".equals(n.spec().role())) {
      throw new ShoalException.Forbidden("node " + nodeId + " is not a manager in this swarm");
    }
    raft.addPeer(nodeId, raftAddr);
    if (n.managerStatus() == null || n.managerStatus().addr() == null) {
      // a promoted worker had no manager address: its cluster address is where managers and
      // workers reach it now (join lists, NotLeader hints, node ls)
      String addr = n.status() == null ? null : n.status().addr();
      store.update(tx -> {
        Node cur = tx.node(nodeId);
        if (cur != null && (cur.managerStatus() == null || cur.managerStatus().addr() == null)) {
          tx.update(cur.withManagerStatus(new Node.ManagerStatus(null, "reachable", addr)));
        }
      });
    }
  }

  @Override
  public void removeManager(NodeIdentity caller, String nodeId) {
    raft.removePeer(nodeId);
  }
}
