package io.shoal.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Docker's own multi-host swarm on one machine, for Docker's side of the {@code failover}
 * benchmark: M manager and W worker {@code dockerd}s, each in a network namespace of its own,
 * joined with {@code docker swarm init/join} over a private bridge. The layout is
 * tests/t5/netns-swarm.sh's: a switch namespace holds a bridge, every host namespace hangs off it
 * by a veth pair. It uses 10.78.0.0/24 and namespace names with this JVM's PID so a T5 run (10.77)
 * or a second benchmark cannot collide. dockerd is entered with {@code nsenter --net}, which
 * (unlike {@code ip netns exec}) keeps the host's /sys and so its cgroup mounts.
 *
 * <p>Every dockerd is started and stopped by its PID; {@link #kill} SIGKILLs one (a crashed host)
 * and {@link #restart} brings it back on the same data root. {@link #close} restarts killed ones
 * first (a fresh dockerd stops the containers the killed one left running), stops all, then kills
 * by PID whatever still runs from our directory (containerd, shims), deletes the namespaces,
 * unmounts under our directory and removes it, also after a failure half-way through start.
 *
 * <p>Threading: one thread drives it (the benchmark's); {@link #close} may also run from a
 * shutdown hook, and is idempotent.
 */
final class NetnsSwarm implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One host: its namespace, address, dockerd and socket. */
  final class Host {
    final int index;
    final boolean manager;
    final String name;
    final String addr;
    final Path dir;
    final String sock;
    Process dockerd;
    String nodeId = "";

    Host(int index, boolean manager) {
      this.index = index;
      this.manager = manager;
      this.name = (manager ? "m" : "w") + index;
      this.addr = "10.78.0." + (index + 1);
      this.dir = base.resolve(name);
      this.sock = dir.resolve("docker.sock").toString();
    }

    String ns() {
      return prefix + "-" + name;
    }

    String host() {
      return "unix://" + sock;
    }

    boolean alive() {
      return dockerd != null && dockerd.isAlive();
    }

    Proc.Result docker(String... args) {
      return Proc.docker(host(), args);
    }

    /** The Engine API through curl: one light process per call (the docker CLI costs ~10x more to start). */
    Proc.Result api(int timeoutS, String method, String path, String body) {
      List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--fail-with-body", "--max-time", String.valueOf(timeoutS),
          "--unix-socket", sock, "-X", method));
      if (body != null) cmd.addAll(List.of("-H", "Content-Type: application/json", "-d", body));
      cmd.add("http://docker/v1.41" + path);
      return Proc.run(Map.of(), timeoutS + 5L, cmd.toArray(String[]::new));
    }
  }

  final Path base;
  final List<Host> hosts = new ArrayList<>();
  private final String prefix;
  private boolean closed;

  private NetnsSwarm(Path base) {
    this.base = base;
    this.prefix = "shoalbf-" + ProcessHandle.current().pid();
  }

  /**
   * Starts {@code managers} + {@code workers} dockerds, copies the test image from
   * {@code sourceEngine}, inits the swarm on the first and joins the rest. Managers are drained:
   * the hollow cluster's managers run no tasks either, so the service lives on the workers only.
   */
  static NetnsSwarm start(int managers, int workers, String sourceEngine) throws Exception {
    NetnsSwarm s = new NetnsSwarm(Files.createTempDirectory("shoal-bench-netns"));
    try {
      for (int i = 0; i < managers + workers; i++) s.hosts.add(s.new Host(i, i < managers));
      s.network();
      for (Host h : s.hosts) s.spawn(h);
      for (Host h : s.hosts) s.awaitEngine(h);
      Path image = s.base.resolve("image.tar");
      must(Proc.docker(sourceEngine, "save", "-o", image.toString(), Engine.IMAGE), "docker save");
      for (Host h : s.hosts) must(h.docker("load", "-i", image.toString()), "docker load on " + h.name);
      Host first = s.hosts.get(0);
      must(first.docker("swarm", "init", "--advertise-addr", first.addr), "swarm init");
      String mtoken = first.docker("swarm", "join-token", "-q", "manager").out();
      String wtoken = first.docker("swarm", "join-token", "-q", "worker").out();
      for (Host h : s.hosts.subList(1, s.hosts.size())) {
        must(h.docker("swarm", "join", "--advertise-addr", h.addr, "--token", h.manager ? mtoken : wtoken, first.addr + ":2377"),
            "swarm join of " + h.name);
      }
      for (Host h : s.hosts) h.nodeId = h.docker("info", "--format", "{{.Swarm.NodeID}}").out();
      for (Host h : s.hosts) {
        if (h.manager) must(first.docker("node", "update", "--availability", "drain", h.nodeId), "drain " + h.name);
      }
      s.awaitHealthy(Duration.ofSeconds(120));
      return s;
    } catch (Exception | Error e) {
      s.close();
      throw e;
    }
  }

  /** Null if this machine can run it, else why not. */
  static String unavailable() {
    for (String tool : List.of("dockerd", "docker", "nsenter", "ip", "curl")) {
      if (!Proc.commandExists(tool)) return "no " + tool + " on PATH";
    }
    if (!"root".equals(System.getProperty("user.name"))) return "network namespaces and dockerd need root";
    return null;
  }

  private void network() {
    String sw = prefix + "-sw";
    must(Proc.run(Map.of(), 20, "ip", "netns", "add", sw), "ip netns add " + sw);
    must(Proc.run(Map.of(), 20, "ip", "-n", sw, "link", "add", "br0", "type", "bridge"), "bridge");
    must(Proc.run(Map.of(), 20, "ip", "-n", sw, "link", "set", "br0", "up"), "bridge up");
    for (Host h : hosts) {
      must(Proc.run(Map.of(), 20, "ip", "netns", "add", h.ns()), "ip netns add " + h.ns());
      must(Proc.run(Map.of(), 20, "ip", "-n", sw, "link", "add", "v" + h.name, "type", "veth", "peer", "name", "eth0", "netns",
          h.ns()), "veth for " + h.name);
      must(Proc.run(Map.of(), 20, "ip", "-n", sw, "link", "set", "v" + h.name, "master", "br0", "up"), "veth up");
      must(Proc.run(Map.of(), 20, "ip", "-n", h.ns(), "addr", "add", h.addr + "/24", "dev", "eth0"), "address");
      must(Proc.run(Map.of(), 20, "ip", "-n", h.ns(), "link", "set", "eth0", "up"), "eth0 up");
      must(Proc.run(Map.of(), 20, "ip", "-n", h.ns(), "link", "set", "lo", "up"), "lo up");
    }
  }

  private void spawn(Host h) throws Exception {
    // nsenter execs dockerd in place (no --fork): the Process's PID is dockerd's own
    h.dockerd = Proc.spawn(h.dir.resolve("dockerd.log"), List.of("nsenter", "--net=/var/run/netns/" + h.ns(), "dockerd",
        "--host", h.host(), "--data-root", h.dir.resolve("data").toString(), "--exec-root", h.dir.resolve("exec").toString(),
        "--pidfile", h.dir.resolve("docker.pid").toString()));
  }

  private void awaitEngine(Host h) throws InterruptedException {
    if (!HollowCluster.waitUntil(() -> h.docker("version").ok(), Duration.ofSeconds(90))) {
      throw new IllegalStateException("dockerd on " + h.name + " did not answer inside its namespace; log:\n"
          + ShoalDaemon.tail(h.dir.resolve("dockerd.log")));
    }
  }

  /** SIGKILL by PID: the host crashes (its containerd and containers are left behind, as on a real crash). */
  void kill(Host h) throws InterruptedException {
    h.dockerd.destroyForcibly();
    h.dockerd.waitFor();
  }

  /** A fresh dockerd on the killed host's data root; it rejoins the swarm from its saved state. */
  void restart(Host h) throws Exception {
    if (h.alive()) return;
    spawn(h);
    awaitEngine(h);
  }

  /** The live manager that leads, or null. */
  Host leader() {
    for (Host h : hosts) {
      if (h.manager && h.alive() && "true".equals(h.docker("node", "inspect", "self", "--format", "{{.ManagerStatus.Leader}}").out())) {
        return h;
      }
    }
    return null;
  }

  /** Any live manager other than {@code not}. */
  Host managerOtherThan(Host not) {
    return hosts.stream().filter(h -> h.manager && h != not && h.alive()).findFirst().orElseThrow();
  }

  /** All nodes READY and every manager reachable, as seen by the leader. */
  void awaitHealthy(Duration timeout) throws InterruptedException {
    HollowCluster.waitFor(() -> {
      Host l = leader();
      if (l == null) return false;
      try {
        JsonNode nodes = JSON.readTree(l.api(10, "GET", "/nodes", null).out());
        int ready = 0;
        for (JsonNode n : nodes) {
          boolean up = "ready".equals(n.path("Status").path("State").asText());
          boolean mgrOk = n.path("ManagerStatus").isMissingNode()
              || "reachable".equals(n.path("ManagerStatus").path("Reachability").asText());
          if (up && mgrOk) ready++;
        }
        return ready == hosts.size();
      } catch (Exception e) {
        return false;
      }
    }, timeout, "all " + hosts.size() + " Docker nodes ready and managers reachable");
  }

  /**
   * Tasks of {@code service} in state running and desired running, not on {@code excludeNode},
   * as {@code via} answers; -1 when it does not answer. The same count as the Shoal side's.
   */
  long running(Host via, String service, String excludeNode) {
    String filters = "{\"service\":[\"" + service + "\"],\"desired-state\":[\"running\"]}";
    Proc.Result r = via.api(10, "GET", "/tasks?filters=" + java.net.URLEncoder.encode(filters, java.nio.charset.StandardCharsets.UTF_8), null);
    if (!r.ok()) return -1;
    try {
      long n = 0;
      for (JsonNode t : JSON.readTree(r.out())) {
        if ("running".equals(t.path("Status").path("State").asText()) && !t.path("NodeID").asText().equals(excludeNode)) n++;
      }
      return n;
    } catch (Exception e) {
      return -1;
    }
  }

  /** Whether {@code via} has marked {@code h}'s node down. */
  boolean nodeDown(Host via, Host h) {
    Proc.Result r = via.api(10, "GET", "/nodes/" + h.nodeId, null);
    try {
      return r.ok() && "down".equals(JSON.readTree(r.out()).path("Status").path("State").asText());
    } catch (Exception e) {
      return false;
    }
  }

  /** Running tasks of {@code service} per node id. */
  Map<String, Long> perNode(Host via, String service) {
    String filters = "{\"service\":[\"" + service + "\"],\"desired-state\":[\"running\"]}";
    Proc.Result r = via.api(10, "GET", "/tasks?filters=" + java.net.URLEncoder.encode(filters, java.nio.charset.StandardCharsets.UTF_8), null);
    Map<String, Long> m = new java.util.HashMap<>();
    try {
      for (JsonNode t : JSON.readTree(r.out())) {
        if ("running".equals(t.path("Status").path("State").asText())) m.merge(t.path("NodeID").asText(), 1L, Long::sum);
      }
    } catch (Exception e) {
      throw new IllegalStateException("task list from " + via.name + " failed: " + r.out(), e);
    }
    return m;
  }

  static void must(Proc.Result r, String what) {
    if (!r.ok()) throw new IllegalStateException(what + " failed: " + r.out());
  }

  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    // a killed dockerd left its containerd and containers running: a fresh dockerd on the same
    // root reconnects to that containerd and stops them, and its own shutdown then stops containerd
    for (Host h : hosts) {
      if (h.dockerd != null && !h.alive()) {
        try {
          restart(h);
        } catch (Exception e) {
          // fall through to the PID sweep below
        }
      }
    }
    for (Host h : hosts) {
      if (h.alive()) Proc.docker(h.host(), "swarm", "leave", "--force");
    }
    for (Host h : hosts) {
      if (h.dockerd != null) h.dockerd.destroy();
    }
    for (Host h : hosts) Proc.stop(h.dockerd, 40);
    sweep();
    for (Host h : hosts) Proc.run(Map.of(), 20, "ip", "netns", "del", h.ns());
    Proc.run(Map.of(), 20, "ip", "netns", "del", prefix + "-sw");
    // dockerd leaves mounts under its exec root and data root; unmount before removing
    Proc.run(Map.of(), 30, "bash", "-c", "grep -o ' " + base + "[^ ]*' /proc/mounts | sort -r | xargs -r -n1 umount -l");
    Proc.run(Map.of(), 60, "rm", "-rf", base.toString());
  }

  /**
   * Last resort, by PID: any process whose command line names our directory (a containerd or
   * shim a dockerd left behind), after its descendants (the containers' processes).
   */
  private void sweep() {
    String mark = base.toString() + "/";
    List<ProcessHandle> left = ProcessHandle.allProcesses().filter(p -> {
      try {
        return Files.readString(Path.of("/proc/" + p.pid() + "/cmdline")).replace('\0', ' ').contains(mark);
      } catch (Exception e) {
        return false;
      }
    }).toList();
    if (!left.isEmpty()) System.err.println("netns swarm: killing " + left.size() + " leftover process(es) by PID: " + left);
    for (ProcessHandle p : left) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    for (ProcessHandle p : left) p.onExit().orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).exceptionally(x -> p).join();
  }
}
