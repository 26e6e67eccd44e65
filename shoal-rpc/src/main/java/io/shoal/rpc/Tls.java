package io.shoal.rpc;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.shoal.ca.CaException;
import io.shoal.ca.tls.MutualTls;
import io.shoal.ca.tls.NodeKeyManager;
import io.shoal.ca.tls.PeerTrustManager;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Netty SSL contexts for the cluster port from shoal-ca's key and trust managers.
 *
 * <p>Why the trust wrappers: gRPC's client turns on HTTPS host name verification, but nodes are
 * dialled by IP and their certificates name roles and node ids, not hosts. Authorisation is the
 * CA chain plus the role in the certificate (what {@link PeerTrustManager} checks), so the
 * wrapper calls the engine-free check, which verifies the chain without the host name.
 */
final class Tls {
  private Tls() {}

  /** Server: our certificate; a client certificate is optional (join has none), checked if sent. */
  static SslContext server(NodeKeyManager keyManager, PeerTrustManager clientTrust) {
    try {
      return GrpcSslContexts.configure(SslContextBuilder.forServer(keyManager))
          .trustManager(clientTrust)
          .clientAuth(ClientAuth.OPTIONAL)
          .protocols(MutualTls.PROTOCOLS)
          .build();
    } catch (SSLException e) {
      throw new CaException.Crypto("cannot build the cluster port's TLS context", e);
    }
  }

  /** Client presenting {@code keyManager}'s certificate (null: none) and checking the server. */
  static SslContext client(NodeKeyManager keyManager, X509ExtendedTrustManager serverTrust) {
    try {
      SslContextBuilder b = GrpcSslContexts.forClient()
          .trustManager(new NoHostName(serverTrust))
          .protocols(MutualTls.PROTOCOLS);
      if (keyManager != null) {
        b.keyManager(keyManager);
      }
      return b.build();
    } catch (SSLException e) {
      throw new CaException.Crypto("cannot build a cluster client TLS context", e);
    }
  }

  /**
   * Client that accepts any server certificate and presents none: only for fetching the root CA
   * before it is trusted, whose bytes are then checked against the join token's digest.
   */
  static SslContext fetchRootCA() {
    return client(null, new AcceptAny());
  }

  /** Delegates to the engine-free checks (chain + policy, no host name), see class comment. */
  static final class NoHostName extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager d;

    NoHostName(X509ExtendedTrustManager d) {
      this.d = d;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] c, String a, Socket s) throws CertificateException {
      d.checkClientTrusted(c, a);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] c, String a, Socket s) throws CertificateException {
      d.checkServerTrusted(c, a);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] c, String a, SSLEngine e) throws CertificateException {
      d.checkClientTrusted(c, a);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] c, String a, SSLEngine e) throws CertificateException {
      d.checkServerTrusted(c, a);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] c, String a) throws CertificateException {
      d.checkClientTrusted(c, a);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] c, String a) throws CertificateException {
      d.checkServerTrusted(c, a);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return d.getAcceptedIssuers();
    }
  }

  /** Trusts everything; see {@link #fetchRootCA()} for the one place this is acceptable. */
  static final class AcceptAny extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] c, String a, Socket s) {}

    @Override
    public void checkServerTrusted(X509Certificate[] c, String a, Socket s) {}

    @Override
    public void checkClientTrusted(X509Certificate[] c, String a, SSLEngine e) {}

    @Override
    public void checkServerTrusted(X509Certificate[] c, String a, SSLEngine e) {}

    @Override
    public void checkClientTrusted(X509Certificate[] c, String a) {}

    @Override
    public void checkServerTrusted(X509Certificate[] c, String a) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
