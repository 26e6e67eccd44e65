package io.shoal.raft;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A throwaway swarm CA issuing ECDSA P-256 node certificates, Swarm-shaped (CN=id, OU=role, O=cluster). */
final class TestPki {
  private static final AtomicLong SERIAL = new AtomicLong(1);
  final KeyPair caKey;
  final X509Certificate caCert;

  TestPki(String name) throws Exception {
    caKey = keyPair();
    caCert = sign(new X500Name("CN=" + name), caKey, new X500Name("CN=" + name), caKey, true);
  }

  X509TrustManager trust() throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setCertificateEntry("ca", caCert);
    TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    f.init(ks);
    return (X509TrustManager) f.getTrustManagers()[0];
  }

  /** Key manager holding a node certificate signed by this CA. */
  KeyManager node(String id, String role, String cluster) throws Exception {
    KeyPair kp = keyPair();
    X509Certificate cert = issue(id, role, cluster, kp);
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("node", kp.getPrivate(), new char[0], new X509Certificate[] {cert, caCert});
    KeyManagerFactory f = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    f.init(ks, new char[0]);
    return f.getKeyManagers()[0];
  }

  X509Certificate issue(String id, String role, String cluster, KeyPair kp) throws Exception {
    return sign(new X500Name("CN=" + id + ",OU=" + role + ",O=" + cluster), kp, X500Name.getInstance(
        caCert.getSubjectX500Principal().getEncoded()), caKey, false);
  }

  static KeyPair keyPair() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  private static X509Certificate sign(X500Name subject, KeyPair subjectKey, X500Name issuer, KeyPair issuerKey,
      boolean ca) throws Exception {
    Instant now = Instant.now();
    JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.getAndIncrement()),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), subject,
        subjectKey.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
    return new JcaX509CertificateConverter().getCertificate(
        b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey.getPrivate())));
  }
}
