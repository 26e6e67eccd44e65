package io.shoal.daemon.tls;

import io.shoal.ca.CaException;
import io.shoal.ca.tls.MutualTls;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Docker API over TCP with mutual TLS (dockerd's {@code --tlsverify}): HTTPS whose handshake
 * requires a client certificate the given trust manager accepts, so a caller without one, or with
 * one from another CA, never reaches a route. Requests go to the same handler as the unix socket;
 * routes marked local-only refuse themselves here (see {@code Router#onLocal}).
 *
 * <p>A Jetty server of its own, so it can start and stop with swarm membership while the unix
 * socket keeps serving. Threading: Jetty's; start and close from one thread.
 */
public final class TlsApiServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TlsApiServer.class);
  private final Server server;
  private final ServerConnector connector;

  /**
   * @param handler serves requests (the daemon's router); it is called, not owned: it may also be
   *     the handler of another server
   */
  public TlsApiServer(String host, int port, Handler handler, X509ExtendedKeyManager keyManager,
      X509ExtendedTrustManager clientTrust) {
    QueuedThreadPool pool = new QueuedThreadPool(200, 2);
    pool.setName("shoal-api-tls");
    pool.setDaemon(true);
    server = new Server(pool);
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setSslContext(context(keyManager, clientTrust));
    // Jetty applies its own client-auth setting to each engine: say it here, not just in the context
    ssl.setNeedClientAuth(true);
    ssl.setIncludeProtocols(MutualTls.PROTOCOLS.toArray(String[]::new));
    ssl.setEndpointIdentificationAlgorithm(null); // clients are authenticated by certificate, not by host name
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendDateHeader(true);
    connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(http));
    connector.setHost(host.isEmpty() ? null : host);
    connector.setPort(port);
    connector.setIdleTimeout(0); // as the unix socket: log and event streams stay open
    server.addConnector(connector);
    server.setHandler(new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) throws Exception {
        return handler.handle(request, response, callback);
      }
    });
    server.setStopTimeout(2000);
  }

  private static SSLContext context(KeyManager km, TrustManager tm) {
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(new KeyManager[] {km}, new TrustManager[] {tm}, new SecureRandom());
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new CaException.Crypto("cannot initialise the TLS API's context", e);
    }
  }

  public TlsApiServer start() throws Exception {
    server.start();
    log.info("API listening on tcp://{}:{} (TLS, client certificates from the swarm CA required)",
        connector.getHost() == null ? "0.0.0.0" : connector.getHost(), connector.getLocalPort());
    return this;
  }

  /** The bound port (tests bind port 0). */
  public int port() {
    return connector.getLocalPort();
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
