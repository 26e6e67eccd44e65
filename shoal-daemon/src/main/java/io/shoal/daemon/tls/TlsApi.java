package io.shoal.daemon.tls;

import io.shoal.ca.tls.ApiClientTrustManager;
import io.shoal.ca.tls.MutualTls;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.eclipse.jetty.server.Handler;

/**
 * A manager's TLS API listener ({@code shoal daemon --tls-api-addr}) with everything it needs:
 * a server certificate this node issues itself from the swarm CA and renews as it ages, and the
 * client check (API client certificates of this swarm only). It exists while the node is a
 * manager: the daemon starts it after init, join or restart, and closes it on leave and stop.
 *
 * <pre>{@code
 * TlsApi tls = TlsApi.start(TlsApi.Address.parse("0.0.0.0:2376"), router,
 *     new ApiCertificateIssuer(store, clock, random), nodeId, clusterId, hostname, nodeAddrs, clock);
 * tls.port();   // 2376
 * tls.close();  // on leave
 * }</pre>
 */
public final class TlsApi implements AutoCloseable {
  /** dockerd's port for the API over TLS. */
  public static final int DEFAULT_PORT = 2376;

  /** Where the listener binds: {@code HOST:PORT}, {@code HOST} (port 2376), {@code :PORT} (every interface). */
  public record Address(String host, int port) {
    /** @throws IllegalArgumentException with what is wrong and what would be right */
    public static Address parse(String s) {
      String a = s == null ? "" : s.trim();
      if (a.isEmpty()) throw bad(s, "an address is required");
      String host;
      String port;
      if (a.startsWith("[")) {
        int end = a.indexOf(']');
        if (end < 0) throw bad(s, "unclosed [");
        host = a.substring(1, end);
        String rest = a.substring(end + 1);
        if (!rest.isEmpty() && !rest.startsWith(":")) throw bad(s, "expected :PORT after ]");
        port = rest.isEmpty() ? "" : rest.substring(1);
      } else if (a.indexOf(':') != a.lastIndexOf(':')) {
        throw bad(s, "write IPv6 addresses in brackets, as [::1]:2376");
      } else {
        int c = a.indexOf(':');
        host = c < 0 ? a : a.substring(0, c);
        port = c < 0 ? "" : a.substring(c + 1);
      }
      if (host.isEmpty()) host = "0.0.0.0";
      int p;
      try {
        p = port.isEmpty() ? DEFAULT_PORT : Integer.parseInt(port);
      } catch (NumberFormatException e) {
        throw bad(s, "the port must be a number");
      }
      if (p < 0 || p > 65535) throw bad(s, "the port must be within 0-65535");
      return new Address(host, p);
    }

    private static IllegalArgumentException bad(String s, String why) {
      return new IllegalArgumentException("invalid --tls-api-addr \"" + s + "\": " + why + " (format: HOST:PORT, HOST or :PORT; default port " + DEFAULT_PORT + ")");
    }
  }

  private final TlsApiServer server;
  private final RenewingKeyManager keyManager;

  private TlsApi(TlsApiServer server, RenewingKeyManager keyManager) {
    this.server = server;
    this.keyManager = keyManager;
  }

  /**
   * Issues the server certificate and starts listening; on failure nothing is left running.
   *
   * @param nodeAddresses hosts of the node's advertise, listen and data-path addresses
   */
  public static TlsApi start(Address addr, Handler router, ApiCertificateIssuer issuer, String nodeId, String clusterId,
      String hostname, List<String> nodeAddresses, Clock clock) throws Exception {
    List<String> names = TlsApiNames.of(addr.host(), hostname, nodeAddresses,
        TlsApiNames.wildcard(addr.host()) ? interfaceAddresses() : List.of());
    RenewingKeyManager km = new RenewingKeyManager(() -> issuer.server(nodeId, names), clock);
    ApiClientTrustManager trust = MutualTls.apiClientTrustManager(issuer.rootCA().withoutKey(), clusterId);
    TlsApiServer s = new TlsApiServer(addr.host(), addr.port(), router, km, trust);
    try {
      s.start();
    } catch (Exception e) {
      s.close();
      throw e;
    }
    return new TlsApi(s, km);
  }

  public int port() {
    return server.port();
  }

  /** The server certificate being presented now. */
  public java.security.cert.X509Certificate certificate() {
    return keyManager.credentials().certificate();
  }

  @Override
  public void close() throws Exception {
    server.close();
  }

  /** This machine's interface addresses (up interfaces, no link-local IPv6). */
  static List<String> interfaceAddresses() {
    List<String> out = new ArrayList<>();
    try {
      for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!ni.isUp()) continue;
        for (InetAddress a : Collections.list(ni.getInetAddresses())) {
          if (a instanceof Inet6Address && a.isLinkLocalAddress()) continue;
          String h = a.getHostAddress();
          int scope = h.indexOf('%');
          out.add(scope < 0 ? h : h.substring(0, scope));
        }
      }
    } catch (SocketException e) {
      // loopback names are always in the certificate; a client can still use those
    }
    return out;
  }
}
