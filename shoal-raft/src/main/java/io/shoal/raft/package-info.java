/**
 * The raft layer behind the store: Apache Ratis (gRPC transport) replicates every {@link
 * io.shoal.store.Proposal} to all managers and applies it to each manager's {@link
 * io.shoal.store.MemoryStore} in log order; snapshots are the store's own bytes; log entries and
 * snapshots are sealed at rest with a {@link io.shoal.raft.DataKey}.
 *
 * <pre>{@code
 * MemoryStore store = new MemoryStore(clock);
 * RaftNode raft = new RaftNode(nodeId, "10.0.0.1:4377", dataRoot.resolve("raft"), store,
 *     RaftTls.forManagers(keyManager, caTrustManager, clusterId), clock);
 * store.setProposer(raft);
 * raft.onLeadershipChange(leader -> { if (leader) startLeaderComponents(); else stopThem(); });
 * if (RaftNode.isInitialized(dir)) raft.start();   // daemon restart: replays into the store
 * else raft.bootstrap();                           // swarm init: a one-peer group
 * store.update(tx -> tx.create(service));          // any manager; followers forward to the leader
 *
 * // a manager joins: on the new node, with the group id and data key from the join RPC ...
 * newRaft.join(groupId, dataKeyBytes);
 * // ... then, on any existing manager (the request goes to the leader):
 * raft.addPeer(newNodeId, "10.0.0.2:4377");
 * }</pre>
 *
 * <p>Logging: Ratis is chatty at INFO (every election, segment roll, snapshot) and logs each
 * failed client retry at ERROR from {@code org.apache.ratis.client.impl.OrderedAsync}; a daemon
 * should set {@code org.apache.ratis} to WARN and that one logger to OFF: the failure reaches the
 * caller as {@code ShoalException.Unavailable} anyway.
 */
package io.shoal.raft;
