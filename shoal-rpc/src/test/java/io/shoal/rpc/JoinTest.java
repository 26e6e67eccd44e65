package io.shoal.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shoal.api.error.ShoalException;
import io.shoal.ca.CaException;
import io.shoal.ca.JoinTokens;
import io.shoal.ca.NodeRole;
import io.shoal.ca.RootCA;
import java.util.List;
import org.junit.jupiter.api.Test;

/** T3: swarm join over the wire, against a real cluster server and certificates from shoal-ca. */
class JoinTest extends RpcTestBase {

  private ClusterServer leader() {
    TestJoinHandler[] h = new TestJoinHandler[1];
    ClusterServer s = server(pki.manager("leader1"), b -> b.joinHandler(
        h[0] = new TestJoinHandler(pki, List.of("10.0.0.1:2377", "10.0.0.2:2377"))));
    return s;
  }

  private JoinResult join(String token, List<String> managers) {
    return JoinClient.join(token, managers, "10.0.0.9:2377", "0.0.0.0:2377", "active",
        TestPki.RANDOM, TestPki.CLOCK);
  }

  @Test
  void workerTokenGivesAWorkerCertificate() {
    ClusterServer leader = leader();
    JoinResult r = join(pki.tokens.worker().value(), List.of(addr(leader)));

    assertThat(r.credentials().identity().role()).isEqualTo(NodeRole.WORKER);
    assertThat(r.credentials().identity().clusterId()).isEqualTo(TestPki.CLUSTER_ID);
    assertThat(r.credentials().identity().nodeId()).isEqualTo(r.response().nodeId());
    assertThat(r.rootCA().canSign()).isFalse();
    assertThat(r.rootCA().digestHex()).isEqualTo(pki.ca.digestHex());
    assertThat(r.response().role()).isEqualTo("worker");
    assertThat(r.response().managers()).containsExactly("10.0.0.1:2377", "10.0.0.2:2377");
    assertThat(r.response().raftGroupId()).isNull();
    assertThat(r.response().raftDataKey()).isNull();
  }

  @Test
  void managerTokenGivesAManagerCertificateAndTheRaftGroup() {
    ClusterServer leader = leader();
    JoinResult r = join(pki.tokens.manager().value(), List.of(addr(leader)));

    assertThat(r.credentials().identity().role()).isEqualTo(NodeRole.MANAGER);
    assertThat(r.response().nodeRole()).isEqualTo(NodeRole.MANAGER);
    assertThat(r.response().raftGroupId()).isNotNull();
    assertThat(r.response().raftDataKeyBytes()).isEqualTo(TestJoinHandler.DATA_KEY);
    assertThat(r.response().toString()).doesNotContain(r.response().raftDataKey());
  }

  @Test
  void theRequestCarriesAddressesAndTheManagerSeesThePeer() {
    TestJoinHandler h = new TestJoinHandler(pki, List.of());
    ClusterServer leader = server(pki.manager("leader1"), b -> b.joinHandler(h));
    join(pki.tokens.worker().value(), List.of(addr(leader)));

    assertThat(h.lastRequest.advertiseAddr()).isEqualTo("10.0.0.9:2377");
    assertThat(h.lastRequest.listenAddr()).isEqualTo("0.0.0.0:2377");
    assertThat(h.lastRequest.availability()).isEqualTo("active");
    assertThat(h.lastPeerHost).isEqualTo("127.0.0.1");
    assertThat(h.lastRequest.toString()).doesNotContain(pki.tokens.worker().secretPart());
  }

  @Test
  void aWrongSecretIsRefused() {
    ClusterServer leader = leader();
    String rotated = pki.tokens.worker().rotate(TestPki.RANDOM).value();

    assertThatThrownBy(() -> join(rotated, List.of(addr(leader))))
        .isInstanceOf(CaException.UnknownToken.class)
        .hasMessage("a valid join token is necessary to join this cluster: the token matches neither"
            + " the worker nor the manager token (rotated or mistyped?)");
  }

  @Test
  void aTokenForAnotherCAIsRefusedWithTheMismatch() {
    ClusterServer leader = leader();
    RootCA other = RootCA.create(TestPki.CLOCK, TestPki.RANDOM);
    String foreign = JoinTokens.generate(other, TestPki.RANDOM).worker().value();

    assertThatThrownBy(() -> join(foreign, List.of(addr(leader))))
        .isInstanceOf(CaException.DigestMismatch.class)
        .hasMessageStartingWith("remote CA does not match the fingerprint in the join token: expected sha256:"
            + other.digestHex())
        .hasMessageEndingWith("the manager sent a CA with sha256:" + pki.ca.digestHex());
  }

  @Test
  void aMalformedTokenIsRefusedBeforeAnyNetwork() {
    assertThatThrownBy(() -> join("SWMTKN-1-nope", List.of(deadAddress())))
        .isInstanceOf(CaException.InvalidToken.class)
        .hasMessageStartingWith("invalid join token: ");
  }

  @Test
  void anUnreachableManagerIsNamed() {
    String dead = deadAddress();
    assertThatThrownBy(() -> join(pki.tokens.worker().value(), List.of(dead)))
        .isInstanceOf(ShoalException.Unavailable.class)
        .hasMessage("could not reach any manager at " + dead + ": Connection refused");
  }

  @Test
  void aDeadManagerIsSkippedForTheNextOne() {
    ClusterServer leader = leader();
    String dead = deadAddress();
    JoinResult r = join(pki.tokens.worker().value(), List.of(dead, "nosuchhost.invalid:2377", addr(leader)));
    assertThat(r.credentials().identity().role()).isEqualTo(NodeRole.WORKER);
  }

  @Test
  void aFollowerRedirectsToTheLeader() {
    ClusterServer leader = leader();
    ClusterServer follower = server(pki.manager("follower1"), b -> b
        .joinHandler(new JoinHandler() {
          public JoinResponse join(JoinRequest request, String peerHost) {
            throw new ShoalException.NotLeader("this manager is not the leader");
          }

          public String renew(io.shoal.ca.NodeIdentity caller, String csrPem) {
            throw new ShoalException.NotLeader("this manager is not the leader");
          }
        })
        .leaderAddress(() -> addr(leader)));

    JoinResult r = join(pki.tokens.manager().value(), List.of(addr(follower)));
    assertThat(r.credentials().identity().role()).isEqualTo(NodeRole.MANAGER);
  }

  @Test
  void aWorkerAddressIsNotAManager() {
    // A worker serves the cluster port too (task logs), but no join handler: NotAManager.
    ClusterServer worker = server(pki.worker("worker1"), b -> b);
    assertThatThrownBy(() -> join(pki.tokens.worker().value(), List.of(addr(worker))))
        .isInstanceOf(ShoalException.Unavailable.class)
        .hasMessageStartingWith("could not reach any manager at " + addr(worker) + ": ")
        .hasMessageContaining("node worker1 has role swarm-worker; this endpoint accepts only [swarm-manager]");
  }
}
