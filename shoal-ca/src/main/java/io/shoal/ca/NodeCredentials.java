package io.shoal.ca;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;

/**
 * A node's TLS identity: its private key and the certificate the swarm CA issued for it. Build
 * one with {@link NodeCertificates#accept} or {@link #fromPem}; {@code io.shoal.ca.tls} turns it
 * into key managers and SSL contexts. Immutable (the JDK key and certificate objects are).
 */
public record NodeCredentials(PrivateKey privateKey, X509Certificate certificate) {
  public NodeCredentials {
    if (privateKey == null || certificate == null) {
      throw new IllegalArgumentException("private key and certificate are required");
    }
    RootCA.requireKeyMatches(privateKey, certificate.getPublicKey());
  }

  /** Parses a certificate PEM (first block is the node's) and a private key PEM. */
  public static NodeCredentials fromPem(String certPem, String keyPem) {
    return new NodeCredentials(Pem.readPrivateKey(keyPem), Pem.readCertificate(certPem));
  }

  public NodeIdentity identity() {
    return NodeIdentity.of(certificate);
  }

  public Instant notBefore() {
    return certificate.getNotBefore().toInstant();
  }

  public Instant notAfter() {
    return certificate.getNotAfter().toInstant();
  }

  public String certificatePem() {
    return Pem.encodeCertificate(certificate);
  }

  public String privateKeyPem() {
    return Pem.encodePrivateKey(privateKey);
  }

  @Override
  public String toString() {
    // Never print key material. The TCP API's server certificate is held here too and names no
    // node role, so fall back to the subject rather than fail in a log line.
    String who;
    try {
      who = identity().toString();
    } catch (CaException | IllegalArgumentException e) {
      who = certificate.getSubjectX500Principal().getName();
    }
    return "NodeCredentials[" + who + ", until " + notAfter() + "]";
  }
}
