package io.shoal.raft;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Trusts a raft peer only if its chain verifies against the swarm CA <em>and</em> its leaf
 * certificate says {@code OU=swarm-manager} (and {@code O=<cluster id>} when one is given): a
 * worker's certificate from the same CA must not reach the consensus port.
 *
 * <p>Why an X509ExtendedTrustManager: for a plain X509TrustManager the JDK adds endpoint
 * (hostname) verification, which fails for peers dialled by IP whose certificates name the node
 * id, as Swarm's do. Identity here is the CA plus the role in the certificate, as in Swarm.
 * Stateless and thread-safe.
 */
final class ManagerTrustManager extends X509ExtendedTrustManager {
  static final String MANAGER_OU = "swarm-manager";

  private final X509TrustManager ca;
  private final String clusterId;

  ManagerTrustManager(X509TrustManager ca, String clusterId) {
    this.ca = ca;
    this.clusterId = clusterId;
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    ca.checkClientTrusted(chain, authType);
    requireManager(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    ca.checkServerTrusted(chain, authType);
    requireManager(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    checkClientTrusted(chain, authType);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    checkServerTrusted(chain, authType);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    checkClientTrusted(chain, authType);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    checkServerTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return ca.getAcceptedIssuers();
  }

  private void requireManager(X509Certificate[] chain) throws CertificateException {
    if (chain == null || chain.length == 0) throw new CertificateException("no peer certificate");
    String subject = chain[0].getSubjectX500Principal().getName();
    String ou = null;
    String o = null;
    try {
      for (Rdn rdn : new LdapName(subject).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("OU")) ou = String.valueOf(rdn.getValue());
        if (rdn.getType().equalsIgnoreCase("O")) o = String.valueOf(rdn.getValue());
      }
    } catch (InvalidNameException e) {
      throw new CertificateException("unreadable subject " + subject, e);
    }
    if (!MANAGER_OU.equals(ou)) {
      throw new CertificateException("raft peer " + subject + " is not a swarm manager (OU=" + ou + ")");
    }
    if (clusterId != null && !clusterId.equals(o)) {
      throw new CertificateException("raft peer " + subject + " belongs to another swarm (O=" + o + ")");
    }
  }
}
