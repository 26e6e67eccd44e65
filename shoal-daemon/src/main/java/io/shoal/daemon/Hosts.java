package io.shoal.daemon;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** This machine's host name, as a node reports it. */
final class Hosts {
  private Hosts() {}

  static String localHostname() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isEmpty()) return env;
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
