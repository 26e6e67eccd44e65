package io.shoal.daemon;

import java.nio.file.Path;
import java.util.List;

/**
 * How a node daemon runs; set by {@code shoal daemon} flags (named after dockerd's where they
 * mean the same). {@code listenAddr} is the cluster management address (2377 by default); the
 * raft port is derived from it ({@link #raftPort()}) unless given. {@code dataPathAddr} is where
 * the node's tasks publish their ingress ports for the routing mesh of every node: loopback
 * unless set, which is right for a swarm on one machine; multi-host swarms set it per node.
 */
public record DaemonConfig(
    Path dataRoot,
    List<String> hosts,
    Path pidfile,
    String executor,
    String engineHost,
    String listenAddr,
    String advertiseAddr,
    Integer raftPortOverride,
    String hostname,
    String dataPathAddr,
    String tlsApiAddr) {

  public static final String DEFAULT_SOCKET = "unix:///run/shoal/shoal.sock";
  public static final int DEFAULT_PORT = 2377;

  public DaemonConfig {
    hosts = hosts == null || hosts.isEmpty() ? List.of(DEFAULT_SOCKET) : List.copyOf(hosts);
  }

  /** Without the TLS API. */
  public DaemonConfig(Path dataRoot, List<String> hosts, Path pidfile, String executor, String engineHost,
      String listenAddr, String advertiseAddr, Integer raftPortOverride, String hostname, String dataPathAddr) {
    this(dataRoot, hosts, pidfile, executor, engineHost, listenAddr, advertiseAddr, raftPortOverride, hostname, dataPathAddr, null);
  }

  /** Without a data path address: loopback, for swarms on one machine. */
  public DaemonConfig(Path dataRoot, List<String> hosts, Path pidfile, String executor, String engineHost,
      String listenAddr, String advertiseAddr, Integer raftPortOverride, String hostname) {
    this(dataRoot, hosts, pidfile, executor, engineHost, listenAddr, advertiseAddr, raftPortOverride, hostname, null, null);
  }

  /** Where this node's tasks publish ingress ports for the mesh (Docker's --data-path-addr). */
  public String dataPathOrLoopback() {
    return dataPathAddr == null || dataPathAddr.isEmpty() ? "127.0.0.1" : dataPathAddr;
  }

  public int listenPort() {
    String a = listenAddr == null ? "" : listenAddr;
    int colon = a.lastIndexOf(':');
    if (colon < 0) return DEFAULT_PORT;
    return Integer.parseInt(a.substring(colon + 1));
  }

  public String listenHost() {
    String a = listenAddr == null ? "0.0.0.0" : listenAddr;
    int colon = a.lastIndexOf(':');
    return colon < 0 ? a : a.substring(0, colon);
  }

  /**
   * Raft gets its own port: the management port + 1 unless set. Several daemons on one machine
   * whose management ports are 10 apart (2377, 2387, 2397) therefore never clash.
   */
  public int raftPort() {
    return raftPortOverride != null ? raftPortOverride : listenPort() + 1;
  }
}
