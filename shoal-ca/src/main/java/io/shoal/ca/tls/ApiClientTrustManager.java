package io.shoal.ca.tls;

import io.shoal.ca.ApiCertificates;
import io.shoal.ca.CaException;
import io.shoal.ca.RootCA;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The TCP API's client check (dockerd's {@code --tlsverify}, with the swarm root as the CA): the
 * chain must reach the swarm root (the JDK's PKIX checks, including the clientAuth key usage),
 * and the leaf must be an API client certificate of this cluster ({@link ApiCertificates}). A
 * node certificate is refused: a worker's key must not drive the cluster's API.
 *
 * <p>Server side only: it never vouches for a server. Thread-safe; {@link #updateRootCA} swaps
 * the trusted roots for new handshakes.
 */
public final class ApiClientTrustManager extends X509ExtendedTrustManager {
  private final String clusterId;
  private volatile X509ExtendedTrustManager pkix;

  /** @param clusterId the O client certificates must carry, or null for any */
  public ApiClientTrustManager(RootCA ca, String clusterId) {
    this.clusterId = clusterId;
    this.pkix = PeerTrustManager.pkix(ca);
  }

  public void updateRootCA(RootCA ca) {
    this.pkix = PeerTrustManager.pkix(ca);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    pkix.checkClientTrusted(chain, authType, socket);
    checkClient(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    pkix.checkClientTrusted(chain, authType, engine);
    checkClient(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    pkix.checkClientTrusted(chain, authType);
    checkClient(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    throw notForServers();
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    throw notForServers();
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    throw notForServers();
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    // sent in the CertificateRequest: the docker CLI (Go) offers its certificate only if its
    // issuer is among these
    return pkix.getAcceptedIssuers();
  }

  /** The client name of an already chain-checked certificate, or why it is not an API client. */
  public String checkClient(X509Certificate[] chain) throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw new CertificateException("no client certificate");
    }
    try {
      return ApiCertificates.clientName(chain[0], clusterId);
    } catch (CaException | IllegalArgumentException e) {
      throw new CertificateException(e.getMessage(), e);
    }
  }

  private static CertificateException notForServers() {
    return new CertificateException("the API client trust manager checks clients only");
  }
}
