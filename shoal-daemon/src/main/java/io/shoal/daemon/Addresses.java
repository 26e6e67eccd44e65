package io.shoal.daemon;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Listen and advertise addresses, with Docker's defaults: listen on 0.0.0.0:2377; advertise the
 * address given, else the listen address if it is specific, else this machine's one non-loopback
 * IPv4 address, else loopback (a one-machine swarm still works).
 */
public final class Addresses {
  private Addresses() {}

  /** What the docker CLI sends as ListenAddr when the user gave none. */
  public static final String CLI_DEFAULT_LISTEN = "0.0.0.0:2377";

  /**
   * The request's listen address, unless it is just the docker CLI's default and the daemon was
   * started with {@code --listen-addr}: the CLI cannot tell "not given" from its default, and
   * several daemons on one machine need the daemon's own setting to win.
   */
  public static String listen(String requested, String configured) {
    boolean cliDefault = !notEmpty(requested) || requested.equals(CLI_DEFAULT_LISTEN);
    String a = notEmpty(configured) && cliDefault ? configured
        : notEmpty(requested) ? requested : "0.0.0.0:" + DaemonConfig.DEFAULT_PORT;
    return withPort(a, DaemonConfig.DEFAULT_PORT);
  }

  public static String advertise(String requested, String configured, String listen) {
    int port = port(listen);
    if (notEmpty(requested)) return withPort(requested, port);
    if (notEmpty(configured)) return withPort(configured, port);
    String lh = host(listen);
    if (!lh.equals("0.0.0.0") && !lh.equals("::")) return withPort(lh, port);
    List<String> candidates = new ArrayList<>();
    try {
      for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!ni.isUp() || ni.isLoopback() || ni.getName().startsWith("docker") || ni.getName().startsWith("br-")
            || ni.getName().startsWith("veth")) continue;
        for (InetAddress a : Collections.list(ni.getInetAddresses())) {
          if (a instanceof Inet4Address) candidates.add(a.getHostAddress());
        }
      }
    } catch (SocketException e) {
      // fall back to loopback
    }
    return withPort(candidates.size() == 1 ? candidates.get(0) : "127.0.0.1", port);
  }

  public static String host(String addr) {
    if (addr == null) return "";
    int c = addr.lastIndexOf(':');
    return c < 0 ? addr : addr.substring(0, c);
  }

  public static int port(String addr) {
    int c = addr == null ? -1 : addr.lastIndexOf(':');
    return c < 0 ? DaemonConfig.DEFAULT_PORT : Integer.parseInt(addr.substring(c + 1));
  }

  static String withPort(String a, int port) {
    return a.lastIndexOf(':') >= 0 && !a.startsWith("[") ? a : a + ":" + port;
  }

  private static boolean notEmpty(String s) {
    return s != null && !s.isEmpty();
  }
}
