package io.shoal.ca.tls;

import io.shoal.ca.CaException;
import io.shoal.ca.NodeCredentials;
import io.shoal.ca.RootCA;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * SSL contexts for the swarm's mutual TLS (TLS 1.3 and 1.2 only). The server context makes every
 * engine, server socket and default parameter set require a client certificate, so a transport
 * that only asks the context for engines cannot forget it. Frameworks that override client-auth
 * themselves (Jetty's {@code SslContextFactory}, Netty's {@code SslContextBuilder}) must be told
 * {@code needClientAuth} too; for those, pass {@link #keyManager} and {@link #trustManager}
 * instead of a context.
 *
 * <p>No host name check is made: peers are dialled by address, and authorisation is the role in
 * the certificate, which {@link PeerTrustManager} checks in both directions.
 *
 * <pre>{@code
 * NodeKeyManager km = MutualTls.keyManager(creds);
 * PeerTrustManager tm = MutualTls.trustManager(rootCA, PeerPolicy.managersOnly().withRevoked(store::isRemoved));
 * SSLContext server = MutualTls.serverContext(km, tm);      // raft / manager-only endpoint
 * new GrpcTlsConfig(km, tm, true);                           // Ratis takes the same objects
 * km.update(renewedCreds);                                   // renewal: no new context needed
 * }</pre>
 *
 * <p>Stateless and thread-safe; the contexts it returns are thread-safe like any SSLContext.
 */
public final class MutualTls {
  private MutualTls() {}

  /** Enabled protocols, newest first. */
  public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

  public static NodeKeyManager keyManager(NodeCredentials credentials) {
    return new NodeKeyManager(credentials);
  }

  public static PeerTrustManager trustManager(RootCA ca, PeerPolicy policy) {
    return new PeerTrustManager(ca, policy);
  }

  /**
   * Chain-to-the-root checks only, no role or identity: for callers that check the subject
   * themselves (raft's TLS wraps it with its own OU check). The TCP API uses {@link
   * #apiClientTrustManager}, which also requires an API client certificate.
   */
  public static X509ExtendedTrustManager caOnlyTrustManager(RootCA ca) {
    return PeerTrustManager.pkix(ca);
  }

  /**
   * The TCP API's client check: chains to the swarm root and is an API client certificate of
   * {@code clusterId} (see {@link io.shoal.ca.ApiCertificates}); node certificates are refused.
   */
  public static ApiClientTrustManager apiClientTrustManager(RootCA ca, String clusterId) {
    return new ApiClientTrustManager(ca, clusterId);
  }

  /** A server context requiring client certificates that {@code trustManager} accepts. */
  public static SSLContext serverContext(NodeKeyManager keyManager, PeerTrustManager trustManager) {
    return new ConfiguredSslContext(init(keyManager, trustManager), true);
  }

  /** A client context presenting {@code keyManager}'s certificate and checking the server's. */
  public static SSLContext clientContext(NodeKeyManager keyManager, PeerTrustManager trustManager) {
    return new ConfiguredSslContext(init(keyManager, trustManager), false);
  }

  public static SSLContext serverContext(NodeCredentials creds, RootCA ca, PeerPolicy policy) {
    return serverContext(keyManager(creds), trustManager(ca, policy));
  }

  public static SSLContext clientContext(NodeCredentials creds, RootCA ca, PeerPolicy policy) {
    return clientContext(keyManager(creds), trustManager(ca, policy));
  }

  private static SSLContext init(KeyManager km, TrustManager tm) {
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(new KeyManager[] {km}, new TrustManager[] {tm}, new SecureRandom());
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new CaException.Crypto("cannot initialise TLS context", e);
    }
  }
}
