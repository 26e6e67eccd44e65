package io.shoal.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class RootCATest {
  /**
   * Known vector, computed outside Java: {@code sha256sum user-ca.crt} of the openssl-made
   * certificate in test resources, and its base 36 (python: int.from_bytes(digest) in base 36,
   * left-padded with zeros to 50).
   */
  static final String USER_CA_SHA256 = "f6edfadf775f2791fdcd2528b5195c0c1f1c661b30a07f59426d3de8946a2b49";
  static final String USER_CA_BASE36 = "65k68191ddgq1ecyoet0dtmbm8k4sf0w2m731bxydcgmj3rpzd";

  private final RootCA ca = RootCA.create(Fixtures.clock(), Fixtures.secureRandom(7));

  @Test
  void createdRootIsP256SelfSignedCaForTwentyYears() throws Exception {
    X509Certificate c = ca.certificate();
    assertThat(c.getSubjectX500Principal().getName()).isEqualTo("CN=swarm-ca");
    assertThat(c.getIssuerX500Principal()).isEqualTo(c.getSubjectX500Principal());
    c.verify(c.getPublicKey());
    assertThat(c.getBasicConstraints()).isGreaterThanOrEqualTo(0);
    assertThat(c.getKeyUsage()[5]).as("keyCertSign").isTrue();
    assertThat(c.getPublicKey()).isInstanceOf(ECPublicKey.class);
    assertThat(((ECPublicKey) c.getPublicKey()).getParams().getCurve().getField().getFieldSize()).isEqualTo(256);
    assertThat(c.getSigAlgName()).isEqualTo("SHA256withECDSA");
    assertThat(c.getNotBefore().toInstant()).isEqualTo(Fixtures.NOW.minus(RootCA.BACKDATE));
    assertThat(Duration.between(c.getNotBefore().toInstant(), c.getNotAfter().toInstant()))
        .isEqualTo(Duration.ofDays(7300));
    assertThat(ca.canSign()).isTrue();
  }

  @Test
  void digestIsSha256OfTheCanonicalPemBundle() throws Exception {
    byte[] expected = MessageDigest.getInstance("SHA-256").digest(Pem.bytes(ca.certificatePem()));
    assertThat(ca.digest()).isEqualTo(expected);
    assertThat(ca.digestHex()).isEqualTo(HexFormat.of().formatHex(expected)).hasSize(64);
  }

  @Test
  void digestMatchesKnownVector() {
    String pem = Fixtures.resource("user-ca.crt");
    RootCA user = RootCA.trustOnly(pem);
    assertThat(user.certificatePem()).isEqualTo(pem); // openssl writes the canonical form too
    assertThat(user.digestHex()).isEqualTo(USER_CA_SHA256);
    assertThat(JoinToken.generate(user, new java.util.SplittableRandom(1)).caDigestPart())
        .isEqualTo(USER_CA_BASE36);
  }

  @Test
  void digestIgnoresLineEndingsAndSurroundingText() {
    String pem = Fixtures.resource("user-ca.crt");
    String messy = "comment line\r\n" + pem.replace("\n", "\r\n") + "\r\n\r\n";
    assertThat(RootCA.trustOnly(messy).digestHex()).isEqualTo(USER_CA_SHA256);
  }

  @Test
  void loadsUsersCaWithEitherKeyFormat() {
    String cert = Fixtures.resource("user-ca.crt");
    RootCA a = RootCA.load(cert, Fixtures.resource("user-ca.key"), Fixtures.clock());
    RootCA b = RootCA.load(cert, Fixtures.resource("user-ca-sec1.key"), Fixtures.clock());
    assertThat(a.canSign()).isTrue();
    assertThat(a.digestHex()).isEqualTo(USER_CA_SHA256).isEqualTo(b.digestHex());
    // a user's CA signs node certificates like ours
    NodeCredentials n = Fixtures.issue(a, NodeRole.WORKER, "node1");
    assertThat(n.certificate().getIssuerX500Principal()).isEqualTo(a.certificate().getSubjectX500Principal());
  }

  @Test
  void keyAndCertRoundTripThroughPem() {
    RootCA again = RootCA.load(ca.certificatePem(), ca.privateKeyPem(), Fixtures.clock());
    assertThat(again).isEqualTo(ca);
    assertThat(again.digestHex()).isEqualTo(ca.digestHex());
  }

  @Test
  void refusesMismatchedKey() {
    RootCA other = RootCA.create(Fixtures.clock(), Fixtures.secureRandom(8));
    assertThatThrownBy(() -> RootCA.load(ca.certificatePem(), other.privateKeyPem(), Fixtures.clock()))
        .isInstanceOf(CaException.InvalidCertificate.class)
        .hasMessage("private key does not match the certificate");
  }

  @Test
  void refusesNonCaCertificate() {
    NodeCredentials node = Fixtures.issue(ca, NodeRole.MANAGER, "n1");
    assertThatThrownBy(() -> RootCA.trustOnly(node.certificatePem()))
        .isInstanceOf(CaException.InvalidCertificate.class)
        .hasMessageContaining("is not self-signed");
  }

  @Test
  void refusesExpiredUserCa() {
    Instant later = Fixtures.NOW.plus(Duration.ofDays(365 * 30));
    assertThatThrownBy(() -> RootCA.load(
            Fixtures.resource("user-ca.crt"), Fixtures.resource("user-ca.key"), Fixtures.clockAt(later)))
        .isInstanceOf(CaException.InvalidCertificate.class)
        .hasMessageContaining("is not valid now");
  }

  @Test
  void trustOnlyCopyCannotSign() {
    RootCA copy = ca.withoutKey();
    assertThat(copy.canSign()).isFalse();
    assertThat(copy.digestHex()).isEqualTo(ca.digestHex());
    assertThat(copy.toString()).contains("no key").doesNotContain("PRIVATE");
    assertThatThrownBy(copy::privateKeyPem).isInstanceOf(CaException.CannotSign.class);
    assertThatThrownBy(() -> copy.sign("x", new NodeIdentity("n", NodeRole.WORKER, "c"), null,
            Fixtures.clock(), Fixtures.secureRandom(1)))
        .isInstanceOf(CaException.CannotSign.class)
        .hasMessageContaining("only a manager with the CA key can sign");
  }

  @Test
  void dockerShapedFields() throws Exception {
    assertThat(ca.caCertHash()).isEqualTo("sha256:" + ca.digestHex());
    assertThat(new javax.security.auth.x500.X500Principal(ca.issuerSubject()).getName()).isEqualTo("CN=swarm-ca");
    assertThat(java.security.KeyFactory.getInstance("EC")
            .generatePublic(new java.security.spec.X509EncodedKeySpec(ca.issuerPublicKey())))
        .isEqualTo(ca.certificate().getPublicKey());
  }

  @Test
  void sameSeedSameRoot() {
    RootCA again = RootCA.create(Fixtures.clock(), Fixtures.secureRandom(7));
    assertThat(again.certificate().getPublicKey()).isEqualTo(ca.certificate().getPublicKey());
  }
}
