package io.shoal.rpc;

import io.grpc.CallOptions;
import io.grpc.stub.ClientCalls;
import io.shoal.api.net.NodeNetworkView;
import io.shoal.ca.NodeCertificates;
import io.shoal.ca.NodeCredentials;
import io.shoal.ca.Pem;
import io.shoal.ca.RootCA;
import io.shoal.rpc.ClusterProtocol.AddManagerRequest;
import io.shoal.rpc.ClusterProtocol.CertificateResponse;
import io.shoal.rpc.ClusterProtocol.Empty;
import io.shoal.rpc.ClusterProtocol.NetworkViewRequest;
import io.shoal.rpc.ClusterProtocol.RemoveManagerRequest;
import io.shoal.rpc.ClusterProtocol.RenewRequest;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Calls to the managers beyond the dispatcher: raft membership (manager certificate required),
 * the routing mesh table and certificate renewal (any node). Each call goes to the preferred
 * manager, follows {@code NotLeader} to the leader and fails over like {@link RemoteDispatcher}.
 *
 * <pre>{@code
 * ManagerClient managers = new ManagerClient(channels, joinResponse.managers());
 * managers.addManager(myNodeId, myRaftAddr);            // a new manager, after RaftNode.join
 * List<MeshRoute> routes = managers.meshTable();
 * NodeCredentials renewed = managers.renewCredentials(rootCA, random, clock);
 * }</pre>
 *
 * <p>Thread-safe; calls block up to their deadline (60 s for membership changes, which wait for
 * raft to commit and the new member to catch up; 30 s for renewal; 10 s otherwise).
 */
public final class ManagerClient {
  static final Duration MEMBERSHIP_DEADLINE = Duration.ofSeconds(60);
  static final Duration RENEW_DEADLINE = Duration.ofSeconds(30);
  static final Duration READ_DEADLINE = Duration.ofSeconds(10);
  /** Above the manager's ~10 s hold of a network view poll. */
  static final Duration VIEW_DEADLINE = Duration.ofSeconds(20);

  private final ClusterChannels channels;
  private final ManagerTargets targets;

  public ManagerClient(ClusterChannels channels, List<String> managers) {
    this.channels = channels;
    this.targets = new ManagerTargets(managers);
  }

  public void updateManagers(List<String> managers) {
    targets.update(managers);
  }

  /** Asks the leader to add {@code nodeId}'s raft server at {@code raftAddr}; blocks until committed. */
  public void addManager(String nodeId, String raftAddr) {
    AddManagerRequest req = new AddManagerRequest(nodeId, raftAddr);
    targets.call(channels, ch -> ClientCalls.blockingUnaryCall(
        ch, ClusterProtocol.ADD_MANAGER, within(MEMBERSHIP_DEADLINE), req));
  }

  /** Asks the leader to remove {@code nodeId} from the raft group; blocks until committed. */
  public void removeManager(String nodeId) {
    RemoveManagerRequest req = new RemoveManagerRequest(nodeId);
    targets.call(channels, ch -> ClientCalls.blockingUnaryCall(
        ch, ClusterProtocol.REMOVE_MANAGER, within(MEMBERSHIP_DEADLINE), req));
  }

  /** The routing mesh's published ports and backends. */
  public List<MeshRoute> meshTable() {
    return targets.call(channels, ch -> ClientCalls.blockingUnaryCall(
        ch, ClusterProtocol.MESH_TABLE, within(READ_DEADLINE), Empty.INSTANCE)).routes();
  }

  /**
   * This node's network view once it differs from {@code sinceVersion} (a long poll: the manager
   * holds the call up to ~10 s while nothing changes, then answers with the same view).
   */
  public NodeNetworkView networkView(long sinceVersion) {
    NetworkViewRequest req = new NetworkViewRequest(sinceVersion);
    return targets.call(channels, ch -> ClientCalls.blockingUnaryCall(
        ch, ClusterProtocol.NETWORK_VIEW, within(VIEW_DEADLINE), req));
  }

  /** Sends {@code csrPem} for a new certificate for this node; returns it, PEM. */
  public String renewCertificate(String csrPem) {
    return renewal(csrPem).certificatePem();
  }

  private CertificateResponse renewal(String csrPem) {
    RenewRequest req = new RenewRequest(csrPem);
    return targets.call(channels, ch -> ClientCalls.blockingUnaryCall(
        ch, ClusterProtocol.RENEW_CERTIFICATE, within(RENEW_DEADLINE), req));
  }

  /**
   * A renewal's result: the checked credentials and, with a manager certificate, the raft group
   * and data key a promoted node starts its raft server with.
   */
  public record Renewed(NodeCredentials credentials, String raftGroupId, byte[] raftDataKey) {
    @Override
    public String toString() {
      return "Renewed[" + credentials + ", raftGroupId=" + raftGroupId + "]";
    }
  }

  /** {@link #renewCredentials} with the raft details a manager certificate comes with. */
  public Renewed renew(RootCA ca, SecureRandom random, Clock clock) {
    KeyPair kp = NodeCertificates.generateKeyPair(random);
    CertificateResponse r = renewal(NodeCertificates.createCsr(kp, random));
    NodeCredentials creds = NodeCertificates.accept(kp, Pem.readCertificate(r.certificatePem()), ca, clock.instant());
    return new Renewed(creds, r.raftGroupId(), r.raftDataKey() == null ? null : Base64.getDecoder().decode(r.raftDataKey()));
  }

  /**
   * A whole renewal: new key, CSR, {@link #renewCertificate}, and the checks a fresh certificate
   * gets (signed by {@code ca}, valid now, for this key). The caller stores the result and hands
   * it to its key manager and {@link ClusterChannels#refresh()}.
   */
  public NodeCredentials renewCredentials(RootCA ca, SecureRandom random, Clock clock) {
    return renew(ca, random, clock).credentials();
  }

  private static CallOptions within(Duration d) {
    return CallOptions.DEFAULT.withDeadlineAfter(d.toMillis(), TimeUnit.MILLISECONDS);
  }
}
