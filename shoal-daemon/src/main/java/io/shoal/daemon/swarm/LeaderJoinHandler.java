package io.shoal.daemon.swarm;

import io.shoal.api.error.ShoalException;
import io.shoal.api.model.Cluster;
import io.shoal.api.model.Ids;
import io.shoal.api.model.Node;
import io.shoal.api.model.Version;
import io.shoal.ca.JoinTokens;
import io.shoal.ca.NodeIdentity;
import io.shoal.ca.NodeRole;
import io.shoal.ca.Pem;
import io.shoal.ca.RootCA;
import io.shoal.raft.RaftNode;
import io.shoal.rpc.ClusterProtocol;
import io.shoal.rpc.JoinHandler;
import io.shoal.rpc.JoinRequest;
import io.shoal.rpc.JoinResponse;
import io.shoal.rpc.SessionInfo;
import io.shoal.store.MemoryStore;
import io.shoal.store.ReadTx;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The CA signer: on the leader, admits a joining node — the token's secret decides its role,
 * the CSR is signed for a new node id, and the Node object is written before the certificate goes
 * back (so a certificate never exists for a node the store does not know). Other managers answer
 * NotLeader and the joiner follows the hint to the leader.
 */
final class LeaderJoinHandler implements JoinHandler {
  private final MemoryStore store;
  private final RaftNode raft;
  private final Clock clock;
  private final SecureRandom random;
  private volatile java.util.function.Supplier<String> gossipAddress = () -> null;

  LeaderJoinHandler(MemoryStore store, RaftNode raft, Clock clock, SecureRandom random) {
    this.store = store;
    this.raft = raft;
    this.clock = clock;
    this.random = random;
  }

  @Override
  public JoinResponse join(JoinRequest req, String peerHost) {
    if (!raft.isLeader()) throw new ShoalException.NotLeader("this manager is not the leader");
    Cluster c = store.view(ReadTx::cluster);
    JoinTokens tokens = JoinTokens.parse(c.joinTokens().worker(), c.joinTokens().manager());
    NodeRole role = tokens.roleOf(req.token());
    RootCA ca = RootCA.load(c.rootCA().caCert(), c.rootCA().caKey(), clock);
    String nodeId = Ids.newId(random);
    var cert = ca.sign(req.csrPem(), new NodeIdentity(nodeId, role, c.id()), expiry(c), clock, random);
    String addr = req.advertiseAddr() == null || req.advertiseAddr().isEmpty()
        ? peerHost + ":" + io.shoal.daemon.Addresses.port(req.listenAddr()) : req.advertiseAddr();
    String availability = req.availability() == null || req.availability().isEmpty() ? Node.NodeSpec.ACTIVE : req.availability();
    store.update(tx -> tx.create(new Node(nodeId, Version.ZERO, null, null,
        new Node.NodeSpec(null, Map.of(), role.apiName(), availability), null,
        new Node.Status(Node.UNKNOWN, "joined, waiting for its first session", addr),
        role == NodeRole.MANAGER ? new Node.ManagerStatus(null, "unknown", addr) : null)));
    boolean manager = role == NodeRole.MANAGER;
    return new JoinResponse(nodeId, Pem.encodeCertificate(cert), role.apiName(), managers(),
        manager ? raft.groupId() : null,
        manager && raft.dataKey() != null ? JoinResponse.encodeKey(raft.dataKey().export()) : null);
  }

  @Override
  public String renew(NodeIdentity caller, String csrPem) {
    return renewal(caller, csrPem).certificatePem();
  }

  /**
   * Signs for the role {@link Membership#certificateRole} gives the caller now, so a promotion or
   * a completed demotion takes effect with the caller's next renewal; a manager certificate
   * comes with the raft group and data key (a promoted node starts its raft server with them).
   */
  @Override
  public ClusterProtocol.CertificateResponse renewal(NodeIdentity caller, String csrPem) {
    if (!raft.isLeader()) throw new ShoalException.NotLeader("this manager is not the leader");
    Cluster c = store.view(ReadTx::cluster);
    Node n = store.view(tx -> tx.node(caller.nodeId()));
    if (n == null) throw new ShoalException.Forbidden("node " + caller.nodeId() + " was removed from the swarm");
    NodeRole role = Membership.certificateRole(n, raft.members());
    RootCA ca = RootCA.load(c.rootCA().caCert(), c.rootCA().caKey(), clock);
    String pem = Pem.encodeCertificate(ca.sign(csrPem, new NodeIdentity(caller.nodeId(), role, c.id()), expiry(c), clock, random));
    boolean manager = role == NodeRole.MANAGER;
    return new ClusterProtocol.CertificateResponse(pem, manager ? raft.groupId() : null,
        manager && raft.dataKey() != null ? JoinResponse.encodeKey(raft.dataKey().export()) : null);
  }

  /** This manager's own gossip address: the seed every node joins gossip through. */
  void gossipAddress(java.util.function.Supplier<String> address) {
    this.gossipAddress = address;
  }

  /** What the leader tells {@code nodeId} with each heartbeat: its certificate role and the managers. */
  SessionInfo sessionInfo(String nodeId) {
    if (!raft.isLeader()) return null;
    Node n = store.view(tx -> tx.node(nodeId));
    if (n == null) return null;
    Cluster c = store.view(ReadTx::cluster);
    return new SessionInfo(Membership.certificateRole(n, raft.members()).apiName(), managers(),
        c == null ? null : c.networkBootstrapKeys(), c == null ? null : c.removedNodes(), seeds());
  }

  private List<String> seeds() {
    String own = gossipAddress.get();
    return own == null ? List.of() : List.of(own);
  }

  /** The manager list as of a store index: every node heartbeats, the list rarely changes. */
  private record CachedManagers(long index, List<String> addrs) {}

  private volatile CachedManagers cachedManagers;

  /** Cluster addresses of the managers, leader's view. */
  List<String> managers() {
    long index = store.index();
    CachedManagers c = cachedManagers;
    if (c != null && c.index() == index) return c.addrs();
    // read the index before the nodes: a write in between makes the next call recompute
    List<String> addrs = store.view(tx -> Membership.managerAddresses(tx.nodes()));
    cachedManagers = new CachedManagers(index, addrs);
    return addrs;
  }

  private static Duration expiry(Cluster c) {
    Long ns = c.spec().caConfig() == null ? null : c.spec().caConfig().nodeCertExpiry();
    return ns == null || ns == 0 ? null : Duration.ofNanos(ns);
  }
}
