package io.shoal.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.util.List;
import org.junit.jupiter.api.Test;

class PemTest {
  private final RootCA ca = RootCA.create(Fixtures.clock(), Fixtures.secureRandom(1));

  @Test
  void encodingIsGoCanonical() {
    String pem = Pem.encode("TEST", new byte[100]);
    String[] lines = pem.split("\n", -1);
    assertThat(lines[0]).isEqualTo("-----BEGIN TEST-----");
    assertThat(lines[1]).hasSize(64);
    assertThat(lines[2]).hasSize(64);
    assertThat(lines[3]).hasSize(136 - 128); // base64 of 100 bytes is 136 chars
    assertThat(lines[4]).isEqualTo("-----END TEST-----");
    assertThat(lines[5]).isEmpty(); // ends with exactly one LF
    assertThat(pem).doesNotContain("\r");
  }

  @Test
  void certificateRoundTrip() {
    String pem = Pem.encodeCertificate(ca.certificate());
    assertThat(Pem.readCertificate(pem)).isEqualTo(ca.certificate());
    assertThat(Pem.encodeCertificate(Pem.readCertificate(pem))).isEqualTo(pem);
  }

  @Test
  void bundleRoundTripKeepsOrder() {
    RootCA other = RootCA.create(Fixtures.clock(), Fixtures.secureRandom(2));
    List<X509Certificate> both = List.of(ca.certificate(), other.certificate());
    assertThat(Pem.readCertificates(Pem.encodeCertificates(both))).containsExactlyElementsOf(both);
  }

  @Test
  void privateKeyRoundTripAllFormats() {
    KeyPair kp = NodeCertificates.generateKeyPair(Fixtures.secureRandom(3));
    assertThat(Pem.readPrivateKey(Pem.encodePrivateKey(kp.getPrivate())).getEncoded())
        .isEqualTo(kp.getPrivate().getEncoded());
    // openssl's PKCS#8 and SEC1 ("EC PRIVATE KEY") forms of the same key read the same.
    assertThat(((ECPrivateKey) Pem.readPrivateKey(Fixtures.resource("user-ca-sec1.key"))).getS())
        .isEqualTo(((ECPrivateKey) Pem.readPrivateKey(Fixtures.resource("user-ca.key"))).getS());
  }

  @Test
  void csrRoundTrip() throws Exception {
    KeyPair kp = NodeCertificates.generateKeyPair(Fixtures.secureRandom(4));
    String csr = NodeCertificates.createCsr(kp, Fixtures.secureRandom(5));
    assertThat(csr).startsWith("-----BEGIN CERTIFICATE REQUEST-----\n");
    assertThat(Pem.readCsr(csr).getSubjectPublicKeyInfo().getEncoded())
        .isEqualTo(kp.getPublic().getEncoded());
  }

  @Test
  void badInputHasClearErrors() {
    assertThatThrownBy(() -> Pem.readCertificates(""))
        .isInstanceOf(CaException.InvalidCertificate.class).hasMessage("empty PEM data");
    assertThatThrownBy(() -> Pem.readCertificates("hello"))
        .isInstanceOf(CaException.InvalidCertificate.class).hasMessage("no certificate found in PEM data");
    assertThatThrownBy(() -> Pem.readCertificates("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"))
        .isInstanceOf(CaException.InvalidCertificate.class).hasMessageStartingWith("cannot parse certificate");
    assertThatThrownBy(() -> Pem.readPrivateKey(ca.certificatePem()))
        .isInstanceOf(CaException.InvalidCertificate.class).hasMessage("no private key found in PEM data");
    assertThatThrownBy(() -> Pem.readPrivateKey(Fixtures.resource("user-ca-encrypted.key")))
        .isInstanceOf(CaException.InvalidCertificate.class).hasMessageContaining("encrypted");
    assertThatThrownBy(() -> Pem.readCsr(" "))
        .isInstanceOf(CaException.InvalidCsr.class).hasMessageContaining("empty PEM data");
    assertThatThrownBy(() -> Pem.readCsr(ca.certificatePem()))
        .isInstanceOf(CaException.InvalidCsr.class).hasMessageContaining("no CERTIFICATE REQUEST block");
  }
}
