package io.shoal.daemon.tls;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The names the TLS API's server certificate carries. The docker CLI checks the host it dialled
 * ({@code -H tcp://HOST:PORT}) against them, so they are every way a client may reach this node:
 * loopback by name and address, the host name, the node's advertise/listen/data-path addresses,
 * the address the listener binds, and — when it binds every interface — every interface's address.
 * A pure function; the daemon supplies the interface addresses.
 */
public final class TlsApiNames {
  private TlsApiNames() {}

  /** Always present: a client on the manager itself. */
  public static final List<String> LOOPBACK = List.of("localhost", "127.0.0.1", "::1");

  /**
   * @param bindHost the listener's host ({@code 0.0.0.0}, {@code ::} or empty: every interface)
   * @param hostname this node's host name (may be null)
   * @param nodeAddresses hosts of the node's advertise, listen and data-path addresses (wildcards,
   *     blanks and ports are dropped)
   * @param interfaceAddresses addresses of this machine's interfaces, used only for a wildcard bind
   */
  public static List<String> of(String bindHost, String hostname, List<String> nodeAddresses, List<String> interfaceAddresses) {
    Set<String> names = new LinkedHashSet<>(LOOPBACK);
    add(names, hostname);
    for (String a : nodeAddresses) add(names, a);
    if (wildcard(bindHost)) {
      for (String a : interfaceAddresses) add(names, a);
    } else {
      add(names, bindHost);
    }
    return List.copyOf(new ArrayList<>(names));
  }

  static boolean wildcard(String host) {
    return host == null || host.isEmpty() || host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
  }

  private static void add(Set<String> names, String host) {
    if (host == null) return;
    String h = host.trim();
    if (h.startsWith("[") && h.contains("]")) h = h.substring(1, h.indexOf(']'));
    else if (h.indexOf(':') == h.lastIndexOf(':') && h.contains(":")) h = h.substring(0, h.indexOf(':')); // host:port
    int scope = h.indexOf('%');
    if (scope >= 0) return; // a link-local address with a scope: no certificate can name it
    if (h.isEmpty() || wildcard(h)) return;
    names.add(h.toLowerCase(java.util.Locale.ROOT));
  }
}
