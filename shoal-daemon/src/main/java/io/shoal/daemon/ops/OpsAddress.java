package io.shoal.daemon.ops;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Where an operations listener ({@code --metrics-addr}, {@code --ui-addr}) binds: {@code HOST:PORT}
 * as dockerd's {@code --metrics-addr}, or {@code :PORT} for every interface. Loopback addresses are
 * served as plain HTTP; any other only with mutual TLS (see {@link OpsListener}).
 */
public record OpsAddress(String flag, String host, int port) {

  /** @throws IllegalArgumentException with what is wrong and the expected form */
  public static OpsAddress parse(String flag, String s) {
    String a = s == null ? "" : s.trim();
    String host;
    String port;
    if (a.startsWith("[")) {
      int end = a.indexOf("]:");
      if (end < 0) throw bad(flag, s, "write IPv6 addresses as [::1]:PORT");
      host = a.substring(1, end);
      port = a.substring(end + 2);
    } else {
      int c = a.lastIndexOf(':');
      if (c < 0) throw bad(flag, s, "a port is required");
      if (a.indexOf(':') != c) throw bad(flag, s, "write IPv6 addresses as [::1]:PORT");
      host = a.substring(0, c);
      port = a.substring(c + 1);
    }
    int p;
    try {
      p = Integer.parseInt(port);
    } catch (NumberFormatException e) {
      throw bad(flag, s, "the port must be a number");
    }
    if (p < 0 || p > 65535) throw bad(flag, s, "the port must be within 0-65535");
    return new OpsAddress(flag, host.isEmpty() ? "0.0.0.0" : host, p);
  }

  private static IllegalArgumentException bad(String flag, String s, String why) {
    return new IllegalArgumentException("invalid " + flag + " \"" + s + "\": " + why + " (format: HOST:PORT, e.g. 127.0.0.1:9323)");
  }

  /** Whether only this machine can reach the address (then plain HTTP is allowed). */
  public boolean loopback() {
    if (host.equals("localhost")) return true;
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
