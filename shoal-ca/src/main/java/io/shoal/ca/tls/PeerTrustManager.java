package io.shoal.ca.tls;

import io.shoal.ca.CaException;
import io.shoal.ca.NodeIdentity;
import io.shoal.ca.RootCA;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts a peer whose certificate chains to the swarm root CA (the JDK's PKIX checks: signature,
 * validity, key usage) <em>and</em> passes a {@link PeerPolicy}: allowed role, not removed, right
 * cluster. It checks both directions the same way, so a server refuses a worker client where
 * managers are required and a client refuses a server that is not a manager.
 *
 * <p>Extends {@link X509ExtendedTrustManager} so the JDK and Netty call it directly instead of
 * wrapping it. Thread-safe; {@link #updateRootCA} swaps the trusted roots for new handshakes
 * (root rotation) without rebuilding contexts.
 */
public final class PeerTrustManager extends X509ExtendedTrustManager {
  private final PeerPolicy policy;
  private volatile X509ExtendedTrustManager pkix;

  public PeerTrustManager(RootCA ca, PeerPolicy policy) {
    this.policy = policy;
    this.pkix = pkix(ca);
  }

  public PeerPolicy policy() {
    return policy;
  }

  /** Trust {@code ca}'s roots from the next handshake on. */
  public void updateRootCA(RootCA ca) {
    this.pkix = pkix(ca);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    pkix.checkClientTrusted(chain, authType, socket);
    checkPeer(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    pkix.checkClientTrusted(chain, authType, engine);
    checkPeer(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    pkix.checkClientTrusted(chain, authType);
    checkPeer(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    pkix.checkServerTrusted(chain, authType, socket);
    checkPeer(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    pkix.checkServerTrusted(chain, authType, engine);
    checkPeer(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    pkix.checkServerTrusted(chain, authType);
    checkPeer(chain);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return pkix.getAcceptedIssuers();
  }

  /**
   * The policy check alone, for a chain PKIX already accepted (e.g. a gRPC interceptor re-checking
   * a live session after a node was removed).
   */
  public NodeIdentity checkPeer(X509Certificate[] chain) throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw new CertificateException("peer presented no certificate");
    }
    NodeIdentity id;
    try {
      id = NodeIdentity.of(chain[0]);
    } catch (CaException | IllegalArgumentException e) {
      throw new CertificateException("peer certificate is not a swarm node certificate: " + e.getMessage(), e);
    }
    if (!policy.allows(id.role())) {
      throw new CertificateException(
          "node " + id.nodeId() + " has role " + id.role().ou() + "; this endpoint accepts only "
              + policy.allowedRoles().stream().map(r -> r.ou()).sorted().toList());
    }
    if (policy.clusterId() != null && !policy.clusterId().equals(id.clusterId())) {
      throw new CertificateException(
          "node " + id.nodeId() + " belongs to cluster " + id.clusterId() + ", not " + policy.clusterId());
    }
    if (policy.revoked().test(id.nodeId())) {
      throw new CertificateException("node " + id.nodeId() + " has been removed from the swarm");
    }
    return id;
  }

  static X509ExtendedTrustManager pkix(RootCA ca) {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      int i = 0;
      for (X509Certificate root : ca.certificates()) {
        ks.setCertificateEntry("swarm-root-" + i++, root);
      }
      TrustManagerFactory f = TrustManagerFactory.getInstance("PKIX");
      f.init(ks);
      for (TrustManager tm : f.getTrustManagers()) {
        if (tm instanceof X509ExtendedTrustManager x) {
          return x;
        }
      }
      throw new CaException.Crypto("the JDK offers no X509ExtendedTrustManager", null);
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new CaException.Crypto("cannot build a trust manager for the root CA", e);
    }
  }
}
