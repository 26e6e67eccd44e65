package io.shoal.daemon.ops;

import io.shoal.ca.tls.MutualTls;
import io.shoal.daemon.swarm.NodeRuntime;
import io.shoal.daemon.tls.TlsApiServer;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
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
  private TlsApiServer tls;
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
    tls = new TlsApiServer(addr.host(), addr.port(), handler, node.keyManager(),
        MutualTls.apiClientTrustManager(node.rootCA().withoutKey(), node.state().clusterID()));
    try {
      tls.start();
    } catch (Exception e) {
      tls.close();
      tls = null;
      throw e;
    }
    tlsFor = node;
    log.info("{} on https://{} (mutual TLS: API client certificates of this swarm, `shoal swarm client-cert`)", what, addr);
  }

  private Server startPlain() throws Exception {
    QueuedThreadPool pool = new QueuedThreadPool(32, 2);
    pool.setName("shoal-ops-" + addr.port());
    pool.setDaemon(true);
    Server s = new Server(pool);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    ServerConnector c = new ServerConnector(s, new HttpConnectionFactory(http));
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
    log.info("{} on http://{}:{}", what, addr.host(), c.getLocalPort());
    return s;
  }

  /** The bound port (tests bind port 0); -1 when closed. */
  public int port() {
    if (plain != null) return ((ServerConnector) plain.getConnectors()[0]).getLocalPort();
    return tls == null ? -1 : tls.port();
  }

  private void closeTls() {
    if (tls == null) return;
    try {
      tls.close();
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
