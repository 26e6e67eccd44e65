package io.shoal.ca;

import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.KeyPurposeId;

/**
 * Certificates for the Docker API over TCP, dockerd's {@code --tlsverify} model with the swarm
 * root CA as the CA: the daemon presents a server certificate, the docker CLI a client one, and
 * each checks the other chains to the swarm root.
 *
 * <p>Neither kind can act as a node. Their OUs ({@value #SERVER_OU}, {@value #CLIENT_OU}) are no
 * {@link NodeRole}, so the cluster port and raft, which accept only swarm-manager/swarm-worker,
 * refuse them at the handshake; and each carries one extended key usage (serverAuth or
 * clientAuth), so a client certificate cannot even serve TLS. Conversely a node certificate is not
 * an API client certificate: a worker's key must not drive the cluster's API.
 *
 * <pre>{@code
 * // the daemon (a manager: it holds the CA key)
 * NodeCredentials server = ApiCertificates.issueServer(ca, nodeId, clusterId,
 *     List.of("localhost", "127.0.0.1", "10.0.0.5"), null, clock, random);
 * // a user's CSR, from `shoal swarm client-cert`
 * X509Certificate client = ApiCertificates.signClient(ca, csrPem, "alice", clusterId, null, clock, random);
 * ApiCertificates.clientName(client, clusterId);   // "alice"; a node certificate is refused
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class ApiCertificates {
  private ApiCertificates() {}

  /** OU of the certificate the daemon serves the TCP API with. */
  public static final String SERVER_OU = "swarm-api-server";
  /** OU of certificates users present to the TCP API. */
  public static final String CLIENT_OU = "swarm-api-client";

  /** What a client's CN may be: a user or machine name, no spaces, no DN metacharacters. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");

  /**
   * Signs a user's CSR as an API client certificate: CN={@code name}, OU={@value #CLIENT_OU},
   * O={@code clusterId}, extended key usage clientAuth only, no subjectAltNames. Only the CSR's key
   * is used (its subject is ignored, as for nodes).
   *
   * @param expiry lifetime; null is {@link RootCA#DEFAULT_NODE_EXPIRY}, below one hour is refused
   * @throws IllegalArgumentException if {@code name} is not a valid client name
   */
  public static X509Certificate signClient(
      RootCA ca, String csrPem, String name, String clusterId, Duration expiry, Clock clock, SecureRandom random) {
    requireValidName(name);
    RootCA.lifetime(expiry);
    return ca.issue(RootCA.verifiedCsrKey(csrPem), subject(name, CLIENT_OU, clusterId), expiry,
        new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth}, null, clock, random);
  }

  /**
   * A fresh key and a server certificate for this node's TCP API: CN={@code nodeId},
   * OU={@value #SERVER_OU}, O={@code clusterId}, extended key usage serverAuth only, and {@code
   * names} as subjectAltNames (IP literals as IP addresses, others as DNS names: the docker CLI
   * checks the host it dialled against them).
   */
  public static NodeCredentials issueServer(
      RootCA ca, String nodeId, String clusterId, List<String> names, Duration expiry, Clock clock, SecureRandom random) {
    KeyPair kp = NodeCertificates.generateKeyPair(random);
    X509Certificate cert = ca.issue(kp.getPublic(), subject(nodeId, SERVER_OU, clusterId), expiry,
        new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth}, RootCA.names(names), clock, random);
    return new NodeCredentials(kp.getPrivate(), cert);
  }

  /**
   * The client name (CN) of an API client certificate of cluster {@code clusterId} (null: any).
   * Chain and validity are the trust manager's job; this checks what the certificate says it is.
   *
   * @throws CaException.InvalidCertificate for anything else: node certificates, other clusters
   */
  public static String clientName(X509Certificate cert, String clusterId) {
    X500Name subject = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
    String ou = NodeIdentity.single(subject, BCStyle.OU, "OU (role)");
    if (!CLIENT_OU.equals(ou)) {
      throw new CaException.InvalidCertificate(
          "a certificate with OU=" + ou + " is not an API client certificate (OU=" + CLIENT_OU
              + "); get one with `shoal swarm client-cert` on a manager");
    }
    String o = NodeIdentity.single(subject, BCStyle.O, "O (cluster id)");
    if (clusterId != null && !clusterId.equals(o)) {
      throw new CaException.InvalidCertificate("API client certificate of cluster " + o + ", not " + clusterId);
    }
    return NodeIdentity.single(subject, BCStyle.CN, "CN (client name)");
  }

  /** @throws IllegalArgumentException saying what a client name may be */
  public static void requireValidName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("invalid client name \"" + name + "\": 1 to 64 letters, digits, '.', '_', '@' or '-',"
          + " starting with a letter or digit");
    }
  }

  private static X500Name subject(String cn, String ou, String clusterId) {
    return new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.O, clusterId)
        .addRDN(BCStyle.OU, ou)
        .addRDN(BCStyle.CN, cn)
        .build();
  }
}
