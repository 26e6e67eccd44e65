package io.shoal.cli.client;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the daemon listens: {@code unix:///path.sock} or {@code tcp://host:port}. Chosen from
 * {@code -H/--host}, then {@code SHOAL_HOST}, then {@code DOCKER_HOST} (so one variable can point
 * both the docker CLI and ours at the same daemon), then the default socket.
 */
public record DaemonHost(String uri, SocketAddress address, StandardProtocolFamily family) {
  public static final String DEFAULT = "unix:///run/shoal/shoal.sock";

  /** Picks the host from the flag (may be null) and the environment. */
  public static DaemonHost resolve(String flag, Map<String, String> env) {
    for (String candidate : new String[] {flag, env.get("SHOAL_HOST"), env.get("DOCKER_HOST")}) {
      if (candidate != null && !candidate.isBlank()) {
        return parse(candidate.trim());
      }
    }
    return parse(DEFAULT);
  }

  /** Parses a host URI; a bare absolute path is taken as a unix socket. */
  public static DaemonHost parse(String uri) {
    if (uri.startsWith("unix://")) {
      String path = uri.substring("unix://".length());
      if (path.isEmpty()) {
        throw new IllegalArgumentException("invalid host \"" + uri + "\": empty socket path");
      }
      return new DaemonHost(uri, UnixDomainSocketAddress.of(Path.of(path)), StandardProtocolFamily.UNIX);
    }
    if (uri.startsWith("/")) {
      return parse("unix://" + uri);
    }
    if (uri.startsWith("tcp://")) {
      String rest = uri.substring("tcp://".length());
      int slash = rest.indexOf('/');
      if (slash >= 0) {
        rest = rest.substring(0, slash);
      }
      int colon = rest.lastIndexOf(':');
      if (colon <= 0 || colon == rest.length() - 1) {
        throw new IllegalArgumentException("invalid host \"" + uri + "\": expected tcp://HOST:PORT");
      }
      String hostPart = rest.substring(0, colon);
      if (hostPart.startsWith("[") && hostPart.endsWith("]")) {
        hostPart = hostPart.substring(1, hostPart.length() - 1);
      }
      int port;
      try {
        port = Integer.parseInt(rest.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("invalid host \"" + uri + "\": bad port");
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("invalid host \"" + uri + "\": port out of range");
      }
      // Unresolved on purpose: resolution happens at connect time, errors reported there.
      return new DaemonHost(uri, InetSocketAddress.createUnresolved(hostPart, port), StandardProtocolFamily.INET);
    }
    throw new IllegalArgumentException("invalid host \"" + uri + "\": use unix:///path or tcp://host:port");
  }
}
