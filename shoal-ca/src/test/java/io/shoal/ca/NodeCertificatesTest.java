package io.shoal.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class NodeCertificatesTest {
  private final Clock clock = Fixtures.clock();
  private final SecureRandom random = Fixtures.secureRandom(21);
  private final RootCA ca = RootCA.create(clock, random);
  private final JoinTokens tokens = JoinTokens.generate(ca, new SplittableRandom(21));

  @Test
  void signsCsrWithTheRoleTheTokenGrants() throws Exception {
    KeyPair kp = NodeCertificates.generateKeyPair(random);
    String csr = NodeCertificates.createCsr(kp, random);
    NodeRole role = tokens.roleOf(tokens.manager().value());
    X509Certificate cert = ca.sign(csr, new NodeIdentity("node-abc", role, "cluster-xyz"), null, clock, random);

    cert.verify(ca.certificate().getPublicKey());
    assertThat(cert.getIssuerX500Principal()).isEqualTo(ca.certificate().getSubjectX500Principal());
    assertThat(cert.getPublicKey()).isEqualTo(kp.getPublic());
    assertThat(NodeCertificates.identity(cert))
        .isEqualTo(new NodeIdentity("node-abc", NodeRole.MANAGER, "cluster-xyz"));
    assertThat(cert.getSubjectX500Principal().getName())
        .isEqualTo("CN=node-abc,OU=swarm-manager,O=cluster-xyz");
    assertThat(cert.getBasicConstraints()).isEqualTo(-1);
    boolean[] ku = cert.getKeyUsage();
    assertThat(ku[0]).as("digitalSignature").isTrue();
    assertThat(ku[2]).as("keyEncipherment").isTrue();
    assertThat(ku[5]).as("keyCertSign").isFalse();
    assertThat(cert.getExtendedKeyUsage())
        .containsExactlyInAnyOrder("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
    assertThat(dnsNames(cert)).containsExactly("swarm-manager", "node-abc", "swarm-ca");
  }

  @Test
  void workerCertificateHasWorkerNames() {
    NodeCredentials w = Fixtures.issue(ca, tokens.roleOf(tokens.worker().value()), "w1", "c1", null, clock, random);
    assertThat(w.identity().role()).isEqualTo(NodeRole.WORKER);
    assertThat(w.certificate().getSubjectX500Principal().getName()).contains("OU=swarm-worker");
    assertThat(dnsNames(w.certificate())).containsExactly("swarm-worker", "w1");
  }

  @Test
  void defaultValidityIsNinetyDaysBackdatedOneHour() {
    NodeCredentials n = Fixtures.issue(ca, NodeRole.WORKER, "n1", "c1", null, clock, random);
    assertThat(n.notBefore()).isEqualTo(Fixtures.NOW.minus(Duration.ofHours(1)));
    assertThat(n.notAfter()).isEqualTo(Fixtures.NOW.plus(Duration.ofDays(90)));
  }

  @Test
  void expiryIsConfigurable() {
    NodeCredentials n = Fixtures.issue(ca, NodeRole.WORKER, "n1", "c1", Duration.ofHours(5), clock, random);
    assertThat(n.notAfter()).isEqualTo(Fixtures.NOW.plus(Duration.ofHours(5)));
    assertThatThrownBy(() -> Fixtures.issue(ca, NodeRole.WORKER, "n1", "c1", Duration.ofMinutes(59), clock, random))
        .isInstanceOf(CaException.InvalidExpiry.class)
        .hasMessage("minimum certificate expiry time is 1h, got 59m");
  }

  @Test
  void nodeCertificateNeverOutlivesTheRoot() {
    NodeCredentials n = Fixtures.issue(ca, NodeRole.WORKER, "n1", "c1", Duration.ofDays(365 * 40), clock, random);
    assertThat(n.notAfter()).isEqualTo(ca.certificate().getNotAfter().toInstant());
  }

  @Test
  void extraNamesAddIpAndDnsAltNames() throws Exception {
    KeyPair kp = NodeCertificates.generateKeyPair(random);
    X509Certificate cert = ca.sign(NodeCertificates.createCsr(kp, random),
        new NodeIdentity("n1", NodeRole.MANAGER, "c1"), null, List.of("127.0.0.1", "::1", "host.example"),
        clock, random);
    List<String> all = cert.getSubjectAlternativeNames().stream()
        .map(l -> l.get(0) + ":" + l.get(1)).collect(Collectors.toList());
    assertThat(all).contains("7:127.0.0.1", "2:host.example");
    assertThat(all).anyMatch(s -> s.startsWith("7:0:0:0:0:0:0:0:1"));
  }

  @Test
  void verifyChecksIssuerAndTime() {
    NodeCredentials n = Fixtures.issue(ca, NodeRole.WORKER, "n1", "c1", null, clock, random);
    assertThat(ca.verify(n.certificate(), Fixtures.NOW)).isEqualTo(n.identity());
    RootCA other = RootCA.create(clock, Fixtures.secureRandom(22));
    assertThatThrownBy(() -> other.verify(n.certificate(), Fixtures.NOW))
        .isInstanceOf(CaException.InvalidCertificate.class)
        .hasMessageContaining("was not issued by this swarm's root CA");
    assertThatThrownBy(() -> ca.verify(n.certificate(), n.notAfter().plusSeconds(1)))
        .isInstanceOf(CaException.InvalidCertificate.class)
        .hasMessageStartingWith("certificate expired at " + n.notAfter());
    assertThatThrownBy(() -> ca.verify(n.certificate(), Fixtures.NOW.minus(Duration.ofDays(1))))
        .isInstanceOf(CaException.InvalidCertificate.class)
        .hasMessageContaining("is this clock far off?");
  }

  @Test
  void acceptRefusesACertificateForAnotherKey() {
    KeyPair mine = NodeCertificates.generateKeyPair(random);
    KeyPair theirs = NodeCertificates.generateKeyPair(random);
    X509Certificate cert = ca.sign(NodeCertificates.createCsr(theirs, random),
        new NodeIdentity("n1", NodeRole.WORKER, "c1"), null, clock, random);
    assertThatThrownBy(() -> NodeCertificates.accept(mine, cert, ca, Fixtures.NOW))
        .isInstanceOf(CaException.InvalidCertificate.class)
        .hasMessage("the issued certificate is not for this node's key");
  }

  @Test
  void refusesBadCsrs() {
    NodeIdentity id = new NodeIdentity("n1", NodeRole.WORKER, "c1");
    assertThatThrownBy(() -> ca.sign("not a csr", id, null, clock, random))
        .isInstanceOf(CaException.InvalidCsr.class)
        .hasMessageContaining("no CERTIFICATE REQUEST block");
    assertThatThrownBy(() -> ca.sign(Fixtures.resource("weak-rsa1024.csr"), id, null, clock, random))
        .isInstanceOf(CaException.InvalidCsr.class)
        .hasMessage("invalid certificate signing request: RSA key below 2048 bits");
    // Same public key, signature by another key: no proof of possession.
    KeyPair a = NodeCertificates.generateKeyPair(random);
    KeyPair b = NodeCertificates.generateKeyPair(random);
    String forged = forgedCsr(a, b);
    assertThatThrownBy(() -> ca.sign(forged, id, null, clock, random))
        .isInstanceOf(CaException.InvalidCsr.class)
        .hasMessageContaining("signature does not match its public key");
  }

  @Test
  void identityNeedsAllThreeSubjectParts() {
    // The root has only a CN: reading it as a node certificate must fail clearly.
    assertThatThrownBy(() -> NodeCertificates.identity(ca.certificate()))
        .isInstanceOf(CaException.InvalidCertificate.class)
        .hasMessageContaining("exactly one OU (role), found 0");
    assertThatThrownBy(() -> new NodeIdentity(" ", NodeRole.WORKER, "c"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void credentialsRoundTripThroughPemAndHideTheKey() {
    NodeCredentials n = Fixtures.issue(ca, NodeRole.MANAGER, "n9", "c1", null, clock, random);
    NodeCredentials back = NodeCredentials.fromPem(n.certificatePem(), n.privateKeyPem());
    assertThat(back.certificate()).isEqualTo(n.certificate());
    assertThat(back.identity()).isEqualTo(n.identity());
    assertThat(n.toString()).doesNotContain("PRIVATE").contains("n9");
    KeyPair other = NodeCertificates.generateKeyPair(random);
    assertThatThrownBy(() -> new NodeCredentials(other.getPrivate(), n.certificate()))
        .isInstanceOf(CaException.InvalidCertificate.class);
  }

  @Test
  void roleNames() {
    assertThat(NodeRole.fromOu("swarm-worker")).isEqualTo(NodeRole.WORKER);
    assertThat(NodeRole.fromApiName("Manager")).isEqualTo(NodeRole.MANAGER);
    assertThatThrownBy(() -> NodeRole.fromOu("swarm-admin")).isInstanceOf(CaException.InvalidCertificate.class)
        .hasMessage("unknown node role in certificate OU: swarm-admin");
  }

  private static List<String> dnsNames(X509Certificate cert) {
    try {
      return cert.getSubjectAlternativeNames().stream()
          .filter(l -> (Integer) l.get(0) == 2).map(l -> (String) l.get(1)).collect(Collectors.toList());
    } catch (java.security.cert.CertificateParsingException e) {
      throw new AssertionError(e);
    }
  }

  /** A CSR carrying {@code claimed}'s public key but signed by {@code signer}'s private key. */
  private String forgedCsr(KeyPair claimed, KeyPair signer) {
    var csr = new org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder(
            new org.bouncycastle.asn1.x500.X500Name("CN=forged"), claimed.getPublic())
        .build(RootCA.signer(signer.getPrivate(), random));
    try {
      return Pem.encode(Pem.CERTIFICATE_REQUEST, csr.getEncoded());
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }
}
