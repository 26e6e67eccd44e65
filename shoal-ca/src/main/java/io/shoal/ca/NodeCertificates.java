package io.shoal.ca;

import java.io.IOException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * The node side of certificate issuance: make a key pair and a CSR, send the CSR (with the join
 * token) to a manager, then read the role and ids back from what came back. The CSR's subject is a
 * placeholder on purpose: the CA ignores it and writes the identity it decided.
 *
 * <p>Stateless and thread-safe.
 */
public final class NodeCertificates {
  private NodeCertificates() {}

  /** Subject of CSRs; the CA overrides it, so it only says what made the request. */
  public static final String CSR_SUBJECT_CN = "swarm-node";

  /** A fresh ECDSA P-256 key pair. */
  public static KeyPair generateKeyPair(SecureRandom random) {
    return RootCA.p256(random);
  }

  /** A PKCS#10 request for {@code keyPair}, signed with its private key, as PEM. */
  public static String createCsr(KeyPair keyPair, SecureRandom random) {
    PKCS10CertificationRequest csr =
        new JcaPKCS10CertificationRequestBuilder(
                new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, CSR_SUBJECT_CN).build(),
                keyPair.getPublic())
            .build(RootCA.signer(keyPair.getPrivate(), random));
    try {
      return Pem.encode(Pem.CERTIFICATE_REQUEST, csr.getEncoded());
    } catch (IOException e) {
      throw new CaException.Crypto("cannot encode CSR", e);
    }
  }

  /** Role, node id and cluster id from a node certificate's subject. */
  public static NodeIdentity identity(X509Certificate cert) {
    return NodeIdentity.of(cert);
  }

  /**
   * Pairs a freshly issued certificate with the key whose CSR produced it, after checking that
   * {@code ca} signed it, it is valid at {@code now} and it carries that key ("trust, but verify":
   * a manager's answer is not taken on faith).
   */
  public static NodeCredentials accept(
      KeyPair keyPair, X509Certificate issued, RootCA ca, java.time.Instant now) {
    ca.verify(issued, now);
    if (!issued.getPublicKey().equals(keyPair.getPublic())) {
      throw new CaException.InvalidCertificate(
          "the issued certificate is not for this node's key");
    }
    return new NodeCredentials(keyPair.getPrivate(), issued);
  }
}
