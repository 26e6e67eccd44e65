package io.shoal.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A shoal daemon process this benchmark starts ({@code io.shoal.daemon.DaemonMain} on this JVM's
 * class path, with the daemon flags {@code bin/shoal daemon} uses) with its own data root, API
 * socket and cluster port on 127.0.0.1, driven through the docker CLI. Stopped by its PID.
 */
final class ShoalDaemon implements AutoCloseable {
  final Path dir;
  final String host;
  final int port;
  private final Process process;

  private ShoalDaemon(Path dir, int port, Process process) {
    this.dir = dir;
    this.host = "unix://" + dir.resolve("shoal.sock");
    this.port = port;
    this.process = process;
  }

  /** Starts a daemon and waits until its API answers; {@code executor} is docker or process. */
  static ShoalDaemon start(Path dir, String executor, String engineHost, String hostname) throws Exception {
    Files.createDirectories(dir);
    int port = Integer.parseInt(HollowCluster.freeAddress().split(":")[1]);
    List<String> cmd = new ArrayList<>(List.of(javaBin(), "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
        "io.shoal.daemon.DaemonMain", "--data-root", dir.resolve("data").toString(), "-H", "unix://" + dir.resolve("shoal.sock"),
        "--listen-addr", "127.0.0.1:" + port, "--advertise-addr", "127.0.0.1", "--executor", executor,
        "--raft-port", HollowCluster.freeAddress().split(":")[1], "--hostname", hostname));
    if (engineHost != null) cmd.addAll(List.of("--engine-host", engineHost));
    ShoalDaemon d = new ShoalDaemon(dir, port, Proc.spawn(dir.resolve("daemon.log"), cmd));
    if (!HollowCluster.waitUntil(() -> !d.process.isAlive() || Proc.docker(d.host, "version", "--format", "{{.Server.Version}}").ok(),
        java.time.Duration.ofSeconds(60)) || !d.process.isAlive()) {
      d.close();
      throw new IllegalStateException("shoal daemon did not answer on " + d.host + "; log: " + tail(dir.resolve("daemon.log")));
    }
    return d;
  }

  long pid() {
    return process.pid();
  }

  Proc.Result docker(String... args) {
    return Proc.docker(host, args);
  }

  void swarmInit() {
    Proc.Result r = docker("swarm", "init", "--advertise-addr", "127.0.0.1:" + port);
    if (!r.ok()) throw new IllegalStateException("swarm init failed: " + r.out());
  }

  String nodeId() {
    return docker("info", "--format", "{{.Swarm.NodeID}}").out();
  }

  static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  @Override
  public void close() {
    Proc.stop(process, 25);
  }
}
