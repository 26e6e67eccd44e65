package io.shoal.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shoal.ca.tls.MutualTls;
import io.shoal.ca.tls.PeerPolicy;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The TCP API's certificates: what they say, and that node endpoints and the API each refuse the
 * other's certificates. Chain checks are the JDK's, against the real clock, so these are issued
 * "now".
 */
class ApiCertificatesTest {
  private final Clock clock = Clock.fixed(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS), ZoneOffset.UTC);
  private final SecureRandom random = Fixtures.secureRandom(7);
  private final RootCA ca = RootCA.create(clock, random);

  private X509Certificate client(String name, String cluster) {
    KeyPair kp = NodeCertificates.generateKeyPair(random);
    return ApiCertificates.signClient(ca, NodeCertificates.createCsr(kp, random), name, cluster, null, clock, random);
  }

  @Test
  void clientCertificateIsForClientsOnly() throws Exception {
    X509Certificate c = client("alice", "cluster1");
    assertThat(c.getSubjectX500Principal().getName()).isEqualTo("CN=alice,OU=swarm-api-client,O=cluster1");
    assertThat(c.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2"); // clientAuth, no serverAuth
    assertThat(c.getSubjectAlternativeNames()).isNull();
    assertThat(c.getBasicConstraints()).isEqualTo(-1);
    assertThat(Duration.between(clock.instant(), c.getNotAfter().toInstant())).isEqualTo(RootCA.DEFAULT_NODE_EXPIRY);
    assertThat(ApiCertificates.clientName(c, "cluster1")).isEqualTo("alice");
    c.verify(ca.certificate().getPublicKey()); // signed by the swarm root, but no node certificate:
    assertThatThrownBy(() -> ca.verify(c, clock.instant()))
        .isInstanceOf(CaException.InvalidCertificate.class).hasMessageContaining("unknown node role");
  }

  @Test
  void serverCertificateNamesTheAddressesAndServesOnly() throws Exception {
    NodeCredentials s = ApiCertificates.issueServer(ca, "node1", "cluster1",
        List.of("localhost", "127.0.0.1", "10.0.0.5", "::1", "m1.example", "127.0.0.1"), Duration.ofHours(2), clock, random);
    X509Certificate c = s.certificate();
    assertThat(c.getSubjectX500Principal().getName()).isEqualTo("CN=node1,OU=swarm-api-server,O=cluster1");
    assertThat(c.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1"); // serverAuth only
    List<String> names = new ArrayList<>();
    for (List<?> san : c.getSubjectAlternativeNames()) names.add(san.get(0) + ":" + san.get(1));
    // 7 = IP address, 2 = DNS name; a repeated name appears once
    assertThat(names).containsExactly("2:localhost", "7:127.0.0.1", "7:10.0.0.5", "7:0:0:0:0:0:0:0:1", "2:m1.example");
    assertThat(Duration.between(clock.instant(), c.getNotAfter().toInstant())).isEqualTo(Duration.ofHours(2));
    assertThat(s.toString()).contains("swarm-api-server"); // no exception in a log line
  }

  @Test
  void badRequestsAreRefused() {
    KeyPair kp = NodeCertificates.generateKeyPair(random);
    String csr = NodeCertificates.createCsr(kp, random);
    assertThatThrownBy(() -> ApiCertificates.signClient(ca, csr, "a b", "c", null, clock, random))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid client name \"a b\"");
    assertThatThrownBy(() -> ApiCertificates.signClient(ca, csr, "CN=x,OU=swarm-manager", "c", null, clock, random))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ApiCertificates.signClient(ca, csr, "x".repeat(65), "c", null, clock, random))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ApiCertificates.signClient(ca, csr, "alice", "c", Duration.ofMinutes(5), clock, random))
        .isInstanceOf(CaException.InvalidExpiry.class);
    assertThatThrownBy(() -> ApiCertificates.signClient(ca, "garbage", "alice", "c", null, clock, random))
        .isInstanceOf(CaException.class);
    assertThatThrownBy(() -> ApiCertificates.signClient(ca.withoutKey(), csr, "alice", "c", null, clock, random))
        .isInstanceOf(CaException.CannotSign.class);
  }

  @Test
  void apiTrustAcceptsApiClientsOfThisClusterOnly() throws Exception {
    var trust = MutualTls.apiClientTrustManager(ca, "cluster1");
    trust.checkClientTrusted(new X509Certificate[] {client("alice", "cluster1")}, "EC");

    X509Certificate otherCluster = client("bob", "cluster2");
    assertThatThrownBy(() -> trust.checkClientTrusted(new X509Certificate[] {otherCluster}, "EC"))
        .isInstanceOf(CertificateException.class).hasMessageContaining("cluster cluster2, not cluster1");
    NodeCredentials worker = Fixtures.issue(ca, NodeRole.WORKER, "w1", "cluster1", null, clock, random);
    assertThatThrownBy(() -> trust.checkClientTrusted(new X509Certificate[] {worker.certificate()}, "EC"))
        .as("a node certificate is no API client certificate")
        .isInstanceOf(CertificateException.class).hasMessageContaining("OU=swarm-worker is not an API client");
    RootCA other = RootCA.create(clock, random);
    X509Certificate foreign = ApiCertificates.signClient(other, NodeCertificates.createCsr(NodeCertificates.generateKeyPair(random), random),
        "alice", "cluster1", null, clock, random);
    assertThatThrownBy(() -> trust.checkClientTrusted(new X509Certificate[] {foreign}, "EC"))
        .as("another CA").isInstanceOf(CertificateException.class);
    X509Certificate server = ApiCertificates.issueServer(ca, "n1", "cluster1", List.of("localhost"), null, clock, random).certificate();
    assertThatThrownBy(() -> trust.checkClientTrusted(new X509Certificate[] {server}, "EC"))
        .as("the server's own certificate").isInstanceOf(CertificateException.class);
  }

  @Test
  void nodeEndpointsRefuseApiCertificates() {
    var anyNode = MutualTls.trustManager(ca, PeerPolicy.anyNode());
    X509Certificate c = client("alice", "cluster1");
    assertThatThrownBy(() -> anyNode.checkClientTrusted(new X509Certificate[] {c}, "EC"))
        .isInstanceOf(CertificateException.class).hasMessageContaining("not a swarm node certificate");
    X509Certificate server = ApiCertificates.issueServer(ca, "n1", "cluster1", List.of("localhost"), null, clock, random).certificate();
    assertThatThrownBy(() -> anyNode.checkClientTrusted(new X509Certificate[] {server}, "EC"))
        .as("nor can the API's server certificate act as a node").isInstanceOf(CertificateException.class);
  }
}
