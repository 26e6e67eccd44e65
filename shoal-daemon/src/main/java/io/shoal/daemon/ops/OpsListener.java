package io.shoal.daemon.ops;

import io.shoal.ca.tls.MutualTls;
import io.shoal.daemon.swarm.NodeRuntime;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One operations listener (metrics or console) and its security model:
 * <ul>
 *   <li>a loopback address is served as plain HTTP from daemon start (as dockerd's
 *       {@code --metrics-addr}): only this machine reaches it;</li>
 *   <li>any other address only with mutual TLS, once the node is in a swarm: the server presents
 *       the node's own certificate (SANs {@code swarm-manager}/{@code swarm-worker} and the node id,
 *       renewed in place) and requires an API client certificate of this swarm, as the TLS API
 *       does ({@code shoal swarm client-cert}). Outside a swarm there is no CA, so the port stays
 *       closed rather than serving in the clear.</li>
 * </ul>
 * Threading: {@link #update} and {@link #close} are called under the daemon's lock.
 */
public final class OpsListener implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OpsListener.class);
  private final OpsAddress addr;
  private final Handler handler;
  private final String what;
  private Server plain;
  private Server tls;
  private NodeRuntime tlsFor;

  public OpsListener(OpsAddress addr, Handler handler, String what) {
    this.addr = addr;
    this.handler = handler;
    this.what = what;
  }

  /** Opens, keeps or closes the listener for the node's membership now ({@code node} null: not in a swarm). */
  public void update(NodeRuntime node) throws Exception {
    if (addr.loopback()) {
      if (plain == null) plain = startPlain();
      return;
    }
    if (tls != null && tlsFor == node) return;
    closeTls();
    if (node == null) {
      log.info("{} on {}: opens with mutual TLS once this node is in a swarm (non-loopback addresses need the swarm's certificates)", what, addr);
      return;
    }
    tls = startTls(node);
    tlsFor = node;
    log.info("{}: mutual TLS, API client certificates of this swarm (`shoal swarm client-cert`)", what);
  }

  private Server startPlain() throws Exception {
    Server s = server();
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    return start(s, new ServerConnector(s, new HttpConnectionFactory(http)), "http");
  }

  /**
   * HTTPS with the node's certificate, requiring an API client certificate of this swarm. The node
   * certificate names the node (swarm-manager / swarm-worker, its id), not the address a scraper
   * dials, so the request's host is not checked against it: clients check the server by
   * {@code server_name}, and the server checks clients by certificate.
   */
  private Server startTls(NodeRuntime node) throws Exception {
    SSLContext ctx;
    try {
      ctx = SSLContext.getInstance("TLS");
      ctx.init(new KeyManager[] {node.keyManager()},
          new TrustManager[] {MutualTls.apiClientTrustManager(node.rootCA().withoutKey(), node.state().clusterID())}, new SecureRandom());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up TLS for " + what + ": " + e.getMessage(), e);
    }
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setSslContext(ctx);
    ssl.setNeedClientAuth(true); // Jetty applies its own client-auth setting to each engine
    ssl.setIncludeProtocols(MutualTls.PROTOCOLS.toArray(String[]::new));
    ssl.setEndpointIdentificationAlgorithm(null);
    ssl.setSniRequired(false);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.addCustomizer(new SecureRequestCustomizer(false, false, -1, false));
    Server s = server();
    return start(s, new ServerConnector(s, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(http)), "https");
  }

  private Server server() {
    QueuedThreadPool pool = new QueuedThreadPool(32, 2);
    pool.setName("shoal-ops-" + addr.port());
    pool.setDaemon(true);
    return new Server(pool);
  }

  private Server start(Server s, ServerConnector c, String scheme) throws Exception {
    c.setHost(addr.host());
    c.setPort(addr.port());
    c.setIdleTimeout(0); // the console's event stream stays open
    s.addConnector(c);
    s.setHandler(handler);
    s.setStopTimeout(1000);
    try {
      s.start();
    } catch (Exception e) {
      s.stop();
      throw e;
    }
    log.info("{} on {}://{}:{}", what, scheme, addr.host(), c.getLocalPort());
    return s;
  }

  /** The bound port (tests bind port 0); -1 when closed. */
  public int port() {
    Server s = plain != null ? plain : tls;
    return s == null ? -1 : ((ServerConnector) s.getConnectors()[0]).getLocalPort();
  }

  private void closeTls() {
    if (tls == null) return;
    try {
      tls.stop();
    } catch (Exception e) {
      log.warn("{} stop: {}", what, e.toString());
    }
    tls = null;
    tlsFor = null;
  }

  @Override
  public void close() {
    closeTls();
    if (plain != null) {
      try {
        plain.stop();
      } catch (Exception e) {
        log.warn("{} stop: {}", what, e.toString());
      }
      plain = null;
    }
  }
}
