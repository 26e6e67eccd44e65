package io.shoal.raft;

import static io.shoal.raft.Fixtures.create;
import static io.shoal.raft.Fixtures.secret;
import static io.shoal.raft.Fixtures.secrets;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.shoal.api.error.ShoalException;
import io.shoal.store.MemoryStore;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** T3: raft over mutual TLS; only manager certificates of this swarm get in. */
class TlsTest {
  @TempDir Path root;
  private final List<RaftNode> open = new ArrayList<>();

  @AfterEach
  void closeAll() {
    open.forEach(RaftNode::close);
  }

  private RaftNode node(String id, String address, MemoryStore store, RaftTls tls, RaftConfig config) {
    RaftNode n = new RaftNode(id, address, root.resolve(id), store, tls, Fixtures.CLOCK, config);
    store.setProposer(n);
    open.add(n);
    return n;
  }

  @Test
  void managersReplicateOverMutualTlsAndAWorkerCertificateCannotJoin() throws Exception {
    TestPki pki = new TestPki("swarm-ca");
    X509TrustManager ca = pki.trust();
    RaftConfig config = Fixtures.fast().withProposeTimeout(Duration.ofSeconds(3));
    MemoryStore s1 = new MemoryStore(Fixtures.CLOCK);
    MemoryStore s2 = new MemoryStore(Fixtures.CLOCK);
    RaftNode m1 = node("m1", Fixtures.freeAddress(), s1, RaftTls.forManagers(pki.node("m1", "swarm-manager", "c1"), ca, "c1"), config);
    m1.bootstrap();
    String a2 = Fixtures.freeAddress();
    RaftNode m2 = node("m2", a2, s2, RaftTls.forManagers(pki.node("m2", "swarm-manager", "c1"), ca, "c1"), config);
    m2.join(m1.groupId(), m1.dataKey().export());
    m1.addPeer("m2", a2);

    s2.update(tx -> tx.create(secret("over-tls")));
    await().atMost(Duration.ofSeconds(60)).until(() -> secrets(s1).containsKey("over-tls"));

    // a worker certificate from the same CA: the leader cannot replicate to it, so the change fails
    String a3 = Fixtures.freeAddress();
    RaftNode w = node("w1", a3, new MemoryStore(Fixtures.CLOCK),
        RaftTls.forManagers(pki.node("w1", "swarm-worker", "c1"), ca, "c1"), config);
    w.join(m1.groupId(), m1.dataKey().export());
    assertThatThrownBy(() -> m1.addPeer("w1", a3)).isInstanceOf(ShoalException.Unavailable.class);
    assertThat(m1.peers()).extracting(PeerStatus::id).containsExactlyInAnyOrder("m1", "m2");
    assertThat(m1.propose(create(secret("still-writable"))).get(15, TimeUnit.SECONDS)).isPositive();
  }

  @Test
  void trustManagerRefusesWorkersAndOtherSwarms() throws Exception {
    TestPki pki = new TestPki("swarm-ca");
    ManagerTrustManager tm = new ManagerTrustManager(pki.trust(), "c1");
    X509Certificate manager = pki.issue("m1", "swarm-manager", "c1", TestPki.keyPair());
    X509Certificate worker = pki.issue("w1", "swarm-worker", "c1", TestPki.keyPair());
    X509Certificate otherSwarm = pki.issue("m9", "swarm-manager", "c2", TestPki.keyPair());
    X509Certificate otherCa = new TestPki("other-ca").issue("m1", "swarm-manager", "c1", TestPki.keyPair());

    tm.checkClientTrusted(new X509Certificate[] {manager, pki.caCert}, "ECDHE_ECDSA");
    tm.checkServerTrusted(new X509Certificate[] {manager, pki.caCert}, "ECDHE_ECDSA");
    assertThatThrownBy(() -> tm.checkClientTrusted(new X509Certificate[] {worker, pki.caCert}, "ECDHE_ECDSA"))
        .isInstanceOf(CertificateException.class).hasMessageContaining("not a swarm manager");
    assertThatThrownBy(() -> tm.checkServerTrusted(new X509Certificate[] {otherSwarm, pki.caCert}, "ECDHE_ECDSA"))
        .isInstanceOf(CertificateException.class).hasMessageContaining("another swarm");
    assertThatThrownBy(() -> tm.checkClientTrusted(new X509Certificate[] {otherCa}, "ECDHE_ECDSA"))
        .isInstanceOf(CertificateException.class);
  }
}
