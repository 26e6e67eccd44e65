package io.shoal.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Docker's own swarm mode, for side-by-side figures: a second {@code dockerd} with its own socket,
 * data root, exec root and pidfile, inside a network namespace of its own ({@code ip netns add};
 * entered with {@code nsenter --net}, which unlike {@code ip netns exec} keeps the host's /sys and
 * so its cgroup mounts) so its bridge and firewall rules cannot touch the host's or the Shoal
 * engine's. The test image is copied over with save/load, then {@code swarm init} on 127.0.0.1.
 * Started and stopped by PID; the namespace and data root are removed on close.
 */
final class SwarmDockerd implements AutoCloseable {
  final Path dir;
  final String host;
  private final String netns;
  private Process process;

  private SwarmDockerd(Path dir, String netns) {
    this.dir = dir;
    this.netns = netns;
    this.host = "unix://" + dir.resolve("docker.sock");
  }

  /** Null if Docker's swarm can run here, else why not. */
  static String unavailable() {
    if (!Proc.commandExists("dockerd")) return "no dockerd on PATH (Debian's docker.io)";
    if (!Proc.commandExists("nsenter") || !Proc.commandExists("ip")) return "no nsenter/ip to give dockerd its own network namespace";
    if (!"root".equals(System.getProperty("user.name"))) return "dockerd needs root";
    return null;
  }

  static SwarmDockerd start(String sourceEngine) throws Exception {
    long pid = ProcessHandle.current().pid();
    SwarmDockerd d = new SwarmDockerd(Files.createTempDirectory("shoal-bench-swarm"), "shoalbench-" + pid);
    try {
      must(Proc.run(Map.of(), 20, "ip", "netns", "add", d.netns), "ip netns add");
      must(Proc.run(Map.of(), 20, "ip", "netns", "exec", d.netns, "ip", "link", "set", "lo", "up"), "lo up");
      d.process = Proc.spawn(d.dir.resolve("dockerd.log"), List.of("nsenter", "--net=/var/run/netns/" + d.netns, "dockerd",
          "--host", d.host, "--data-root", d.dir.resolve("data").toString(), "--exec-root", d.dir.resolve("exec").toString(),
          "--pidfile", d.dir.resolve("docker.pid").toString()));
      if (!HollowCluster.waitUntil(() -> Proc.docker(d.host, "version").ok(), java.time.Duration.ofSeconds(60))) {
        throw new IllegalStateException("dockerd did not answer; log: " + ShoalDaemon.tail(d.dir.resolve("dockerd.log")));
      }
      must(Proc.run(Map.of(), 120, "bash", "-c", "docker -H " + sourceEngine + " save " + Engine.IMAGE + " | docker -H " + d.host
          + " load"), "image copy");
      must(Proc.docker(d.host, "swarm", "init", "--advertise-addr", "127.0.0.1"), "swarm init");
      return d;
    } catch (Exception | Error e) {
      d.close();
      throw e;
    }
  }

  private static void must(Proc.Result r, String what) {
    if (!r.ok()) throw new IllegalStateException(what + " failed: " + r.out());
  }

  long pid() {
    return process.pid();
  }

  @Override
  public void close() {
    if (process != null) {
      Proc.docker(host, "swarm", "leave", "--force");
      Proc.stop(process, 40);
    }
    Proc.run(Map.of(), 20, "ip", "netns", "del", netns);
    // dockerd leaves mounts under its exec root and data root; unmount before removing
    Proc.run(Map.of(), 30, "bash", "-c", "grep -o ' " + dir + "[^ ]*' /proc/mounts | sort -r | xargs -r -n1 umount -l");
    Proc.run(Map.of(), 60, "rm", "-rf", dir.toString());
  }
}
