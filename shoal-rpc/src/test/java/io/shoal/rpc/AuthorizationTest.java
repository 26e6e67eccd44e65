package io.shoal.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.shoal.api.error.ShoalException;
import io.shoal.api.model.Node;
import io.shoal.ca.NodeCertificates;
import io.shoal.ca.NodeCredentials;
import io.shoal.ca.NodeIdentity;
import io.shoal.ca.NodeRole;
import io.shoal.ca.RootCA;
import io.shoal.ca.tls.MutualTls;
import io.shoal.ca.tls.PeerPolicy;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** T3: who may call what on the cluster port, decided from the peer certificate. */
class AuthorizationTest extends RpcTestBase {
  private final NodeCredentials worker = pki.worker("worker1");
  private final NodeCredentials manager = pki.manager("manager2");

  /** Records membership changes; what the daemon does with RaftNode on the leader. */
  static final class RecordingOps implements ManagerOps {
    final List<String> calls = new CopyOnWriteArrayList<>();

    public void addManager(NodeIdentity caller, String nodeId, String raftAddr) {
      calls.add(caller.nodeId() + " add " + nodeId + "@" + raftAddr);
    }

    public void removeManager(NodeIdentity caller, String nodeId) {
      calls.add(caller.nodeId() + " remove " + nodeId);
    }
  }

  private final RecordingOps ops = new RecordingOps();
  private final Set<String> removed = ConcurrentHashMap.newKeySet();

  private ClusterServer leader() {
    return server(pki.manager("manager1"), b -> b
        .managerOps(ops)
        .dispatcher(new TestDispatcher())
        .joinHandler(new TestJoinHandler(pki, List.of()))
        .meshTable(() -> List.of(new MeshRoute(8080, "tcp", List.of("10.0.0.5:30001", "10.0.0.6:30001"))))
        .revoked(removed::contains));
  }

  @Test
  void aManagerMayChangeMembership() {
    ClusterServer m = leader();
    ManagerClient client = new ManagerClient(channels(manager), List.of(addr(m)));

    client.addManager("manager2", "10.0.0.2:4377");
    client.removeManager("manager3");
    assertThat(ops.calls).containsExactly("manager2 add manager2@10.0.0.2:4377", "manager2 remove manager3");
  }

  @Test
  void aWorkerCertificateIsRefusedOnManagerOnlyMethods() {
    ClusterServer m = leader();
    ManagerClient client = new ManagerClient(channels(worker), List.of(addr(m)));

    assertThatThrownBy(() -> client.addManager("worker1", "10.0.0.9:4377"))
        .isInstanceOf(ShoalException.Forbidden.class)
        .hasMessage("node worker1 is a worker (swarm-worker): AddManager is for managers only");
    assertThatThrownBy(() -> client.removeManager("manager1"))
        .isInstanceOf(ShoalException.Forbidden.class)
        .hasMessageContaining("RemoveManager is for managers only");
    assertThat(ops.calls).isEmpty();
  }

  @Test
  void aWorkerMayReadTheMeshTableAndRenewItsCertificate() {
    ClusterServer m = leader();
    ManagerClient client = new ManagerClient(channels(worker), List.of(addr(m)));

    assertThat(client.meshTable()).containsExactly(
        new MeshRoute(8080, "tcp", List.of("10.0.0.5:30001", "10.0.0.6:30001")));

    ClusterChannels channels = channels(worker);
    ManagerClient viaShared = new ManagerClient(channels, List.of(addr(m)));
    NodeCredentials renewed = viaShared.renewCredentials(pki.ca, TestPki.RANDOM, TestPki.CLOCK);
    assertThat(renewed.identity()).isEqualTo(worker.identity());
    assertThat(renewed.certificate()).isNotEqualTo(worker.certificate());

    // Live renewal: new connections present the new certificate, calls keep working.
    channels.keyManager().update(renewed);
    channels.refresh();
    assertThat(viaShared.meshTable()).hasSize(1);
  }

  @Test
  void aRemovedNodeIsRefusedEvenOnAnOpenConnection() {
    ClusterServer m = leader();
    RemoteDispatcher remote = new RemoteDispatcher(channels(worker), List.of(addr(m)));
    remote.register("worker1", null, "");

    removed.add("worker1");
    assertThatThrownBy(() -> remote.register("worker1", null, ""))
        .isInstanceOf(ShoalException.Forbidden.class)
        .hasMessageStartingWith("node worker1 was removed from the swarm");
    ManagerClient client = new ManagerClient(channels(worker), List.of(addr(m)));
    assertThatThrownBy(client::meshTable)
        .isInstanceOf(ShoalException.Forbidden.class)
        .hasMessageStartingWith("node worker1 was removed from the swarm");
  }

  @Test
  void aCertificateThatExpiresOnAnOpenConnectionIsRefused() {
    // The server's clock is 100 days ahead: the 90-day certificate passed the handshake (real
    // time) but has expired by the time of the call, as on a connection kept open for months.
    java.time.Clock later = java.time.Clock.offset(TestPki.CLOCK, java.time.Duration.ofDays(100));
    ClusterServer m = server(pki.manager("manager1"), b -> b.dispatcher(new TestDispatcher()).clock(later));
    RemoteDispatcher remote = new RemoteDispatcher(channels(worker), List.of(addr(m)));

    assertThatThrownBy(() -> remote.register("worker1", null, ""))
        .isInstanceOf(ShoalException.Forbidden.class)
        .hasMessageStartingWith("the certificate of node worker1 expired at ");
  }

  @Test
  void withoutACertificateOnlyTheCAAndJoinAreOpen() {
    ClusterServer m = leader();
    ManagedChannel anonymous = ClusterChannels.build(addr(m),
        Tls.client(null, MutualTls.trustManager(pki.ca, PeerPolicy.managersOnly())), null);
    try {
      String pem = ClientCalls.blockingUnaryCall(anonymous, ClusterProtocol.GET_ROOT_CA,
          CallOptions.DEFAULT, ClusterProtocol.Empty.INSTANCE).certificatePem();
      assertThat(RootCA.trustOnly(pem).digestHex()).isEqualTo(pki.ca.digestHex());

      StatusRuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
          () -> ClientCalls.blockingUnaryCall(anonymous, ClusterProtocol.REGISTER, CallOptions.DEFAULT,
              new ClusterProtocol.RegisterRequest(new Node.Description("h", null, null, null, null), "")));
      assertThat(RpcErrors.fromStatus(e, addr(m)))
          .isInstanceOf(ShoalException.Forbidden.class)
          .hasMessage("Register needs a swarm node certificate; this node has none (join the swarm first)");
    } finally {
      anonymous.shutdownNow();
    }
  }

  @Test
  void aCertificateFromAnotherSwarmCannotConnect() {
    ClusterServer m = leader();
    TestPki other = new TestPki();
    NodeCredentials stranger = other.manager("stranger");
    // It trusts our CA (as if it had fetched it), but its own certificate is from another root.
    ClusterChannels ch = new ClusterChannels(MutualTls.keyManager(stranger), pki.ca, null);
    try {
      ManagerClient client = new ManagerClient(ch, List.of(addr(m)));
      assertThatThrownBy(() -> client.addManager("stranger", "10.9.9.9:4377"))
          .isInstanceOf(ShoalException.Unavailable.class);
      assertThat(ops.calls).isEmpty();
    } finally {
      ch.close();
    }
  }

  @Test
  void anApiClientCertificateCannotActAsANode() {
    // `shoal swarm client-cert` issues from this same CA, but with OU=swarm-api-client: the
    // cluster port refuses it at the handshake, so it reaches no method at all, open ones included.
    ClusterServer m = leader();
    java.security.KeyPair kp = NodeCertificates.generateKeyPair(TestPki.RANDOM);
    NodeCredentials apiClient = new NodeCredentials(kp.getPrivate(), io.shoal.ca.ApiCertificates.signClient(pki.ca,
        NodeCertificates.createCsr(kp, TestPki.RANDOM), "alice", TestPki.CLUSTER_ID, null, TestPki.CLOCK, TestPki.RANDOM));
    ManagedChannel ch = ClusterChannels.build(addr(m),
        Tls.client(MutualTls.keyManager(apiClient), MutualTls.trustManager(pki.ca, PeerPolicy.managersOnly())), null);
    try {
      for (Runnable call : List.<Runnable>of(
          () -> ClientCalls.blockingUnaryCall(ch, ClusterProtocol.REGISTER, CallOptions.DEFAULT,
              new ClusterProtocol.RegisterRequest(new Node.Description("h", null, null, null, null), "")),
          () -> ClientCalls.blockingUnaryCall(ch, ClusterProtocol.ADD_MANAGER, CallOptions.DEFAULT,
              new ClusterProtocol.AddManagerRequest("alice", "10.9.9.9:4377")),
          () -> ClientCalls.blockingUnaryCall(ch, ClusterProtocol.MESH_TABLE, CallOptions.DEFAULT, ClusterProtocol.Empty.INSTANCE),
          () -> ClientCalls.blockingUnaryCall(ch, ClusterProtocol.GET_ROOT_CA, CallOptions.DEFAULT, ClusterProtocol.Empty.INSTANCE))) {
        StatusRuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class, call::run);
        assertThat(e.getStatus().getCode()).as("%s", e).isEqualTo(io.grpc.Status.Code.UNAVAILABLE);
      }
      assertThat(ops.calls).isEmpty();
    } finally {
      ch.shutdownNow();
    }
  }

  @Test
  void aClientRefusesAServerThatIsNotAManager() {
    // A worker listening at a manager's address cannot pose as its dispatcher.
    ClusterServer impostor = server(pki.worker("worker9"), b -> b.dispatcher(new TestDispatcher()));
    RemoteDispatcher remote = new RemoteDispatcher(channels(worker), List.of(addr(impostor)));
    assertThatThrownBy(() -> remote.register("worker1", null, ""))
        .isInstanceOf(ShoalException.Unavailable.class)
        .hasMessageContaining("swarm-worker");
  }

  @Test
  void renewalKeepsTheRoleTheCaDecides() {
    ClusterServer m = leader();
    ManagerClient client = new ManagerClient(channels(manager), List.of(addr(m)));
    String pem = client.renewCertificate(NodeCertificates.createCsr(
        NodeCertificates.generateKeyPair(TestPki.RANDOM), TestPki.RANDOM));
    assertThat(NodeCertificates.identity(io.shoal.ca.Pem.readCertificate(pem)).role()).isEqualTo(NodeRole.MANAGER);
  }
}
