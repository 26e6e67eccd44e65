package io.shoal.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code engine [--sizes 1,10,50,100] [--systems shoal,swarm,limit] [--engine-host unix:///...]}:
 * the same container workload on real Docker engines, side by side in one run:
 * <ul>
 *   <li><b>shoal</b>: a shoal daemon this benchmark starts ({@link ShoalDaemon}, docker executor,
 *       on the engine of scripts/engine.sh), driven by the docker CLI;
 *   <li><b>swarm</b>: Docker's own swarm mode on a second dockerd ({@link SwarmDockerd});
 *   <li><b>limit</b>: N parallel {@code docker run -d} on the Shoal engine, no orchestrator.
 * </ul>
 * Phases: create N replicas until N containers run (each size); scale 50→100 and 100→10; kill
 * one task's container until a replacement runs. Services publish no ports (this kernel has no
 * IPVS, so Docker's ingress cannot work here) and use {@code --restart-delay 0s} (both default
 * to 5 s, which would hide the machinery behind a timer). The task command exits on SIGTERM so
 * scale-down does not measure Docker's 10 s stop grace period. "Running" is counted on the
 * engine ({@code docker ps} by the service label), the same for all three.
 */
public final class EngineBench {
  private static final String[] CMD = {"sh", "-c", "trap 'exit 0' TERM; while :; do sleep 1; done"};

  private EngineBench() {}

  public static void main(String[] args) throws Exception {
    Bench.main(HollowBench.prepend("engine", args));
  }

  /** One way to run N copies of a container. */
  interface Target {
    String name();

    void create(String svc, int n) throws Exception;

    void scale(String svc, int n) throws Exception;

    void remove(String svc) throws Exception;

    /** Ids of the running containers of {@code svc}. */
    List<String> running(String svc);

    String engine();
  }

  public static void run(String[] argv, PrintStream out) throws Exception {
    Args args = new Args(argv);
    int[] sizes = Arrays.stream(args.string("sizes", "1,10,50,100").split(",")).mapToInt(Integer::parseInt).toArray();
    List<String> systems = List.of(args.string("systems", "shoal,swarm,limit").split(","));
    int scaleFrom = args.integer("scale-from", 50);
    int scaleTo = args.integer("scale-to", 100);
    int scaleDown = args.integer("scale-down", 10);
    String engine = args.string("engine-host", Engine.DEFAULT_HOST);
    HollowCluster.printMachine(out);
    String why = Engine.unavailable(engine);
    if (why != null) {
      out.println("engine: SKIPPED: " + why);
      return;
    }
    Path root = Files.createTempDirectory("shoal-bench-engine");
    ShoalDaemon shoal = null;
    SwarmDockerd swarm = null;
    Map<String, Target> targets = new LinkedHashMap<>();
    Runnable[] cleanup = new Runnable[1];
    // Ctrl-C or a CI timeout must not leave a daemon, a dockerd or containers behind
    Thread hook = new Thread(() -> {
      if (cleanup[0] != null) cleanup[0].run();
    }, "bench-engine-cleanup");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      if (systems.contains("shoal")) {
        shoal = ShoalDaemon.start(root.resolve("shoal"), "docker", engine, "bench-shoal");
        shoal.swarmInit();
        targets.put("shoal", new ServiceTarget("shoal", shoal.host, engine));
      }
      if (systems.contains("swarm")) {
        String no = SwarmDockerd.unavailable();
        if (no != null) {
          out.println("engine: Docker swarm not measured: " + no);
        } else {
          swarm = SwarmDockerd.start(engine);
          targets.put("swarm", new ServiceTarget("swarm", swarm.host, swarm.host));
        }
      }
      if (systems.contains("limit")) targets.put("limit", new LimitTarget(engine));
      ShoalDaemon s0 = shoal;
      SwarmDockerd w0 = swarm;
      cleanup[0] = () -> cleanup(targets, s0, w0, engine, root);
      out.printf("engine: systems %s; docker %s; services publish no ports; restart delay 0 s%n", targets.keySet(),
          Proc.docker(engine, "version", "--format", "{{.Server.Version}}").out());

      Map<String, Map<String, Double>> figures = new LinkedHashMap<>();
      for (int n : sizes) {
        for (Target t : targets.values()) {
          String svc = "sbench-c" + n + "-" + t.name();
          long t0 = System.nanoTime();
          t.create(svc, n);
          double s = until(t, svc, n, t0, 300);
          put(figures, "create " + n, t.name(), s);
          out.printf("engine: %-6s create %3d replicas -> %3d/%d running in %s%n", t.name(), n, t.running(svc).size(), n, fmt(s));
          t.remove(svc);
          until(t, svc, 0, System.nanoTime(), 120);
        }
      }
      for (Target t : targets.values()) {
        String svc = "sbench-s-" + t.name();
        t.create(svc, scaleFrom);
        until(t, svc, scaleFrom, System.nanoTime(), 300);
        long u0 = System.nanoTime();
        t.scale(svc, scaleTo);
        double up = until(t, svc, scaleTo, u0, 300);
        put(figures, "scale " + scaleFrom + "->" + scaleTo, t.name(), up);
        long d0 = System.nanoTime();
        t.scale(svc, scaleDown);
        double down = until(t, svc, scaleDown, d0, 300);
        put(figures, "scale " + scaleTo + "->" + scaleDown, t.name(), down);
        String victim = t.running(svc).get(0);
        long k0 = System.nanoTime();
        Proc.docker(t.engine(), "kill", victim);
        if (t instanceof LimitTarget l) {
          l.replace(svc, victim); // the limit: nothing needs to notice; one docker run is the floor
        }
        double replaced = untilReplaced(t, svc, scaleDown, victim, k0, 120);
        put(figures, "kill -> replaced", t.name(), replaced);
        out.printf("engine: %-6s scale %d->%d %s, %d->%d %s, kill -> replaced %s%n", t.name(), scaleFrom, scaleTo, fmt(up), scaleTo,
            scaleDown, fmt(down), fmt(replaced));
        t.remove(svc);
        until(t, svc, 0, System.nanoTime(), 120);
      }
      out.println();
      out.printf("engine: %-18s %10s %10s %10s %14s %14s%n", "phase (seconds)", "shoal", "swarm", "limit", "shoal/swarm",
          "shoal/limit");
      for (var e : figures.entrySet()) {
        Map<String, Double> f = e.getValue();
        out.printf("engine: %-18s %10s %10s %10s %14s %14s%n", e.getKey(), fmt(f.get("shoal")), fmt(f.get("swarm")),
            fmt(f.get("limit")), ratio(f.get("shoal"), f.get("swarm")), ratio(f.get("shoal"), f.get("limit")));
      }
      out.println("engine: targets: shoal/swarm <= 0.5x, shoal/limit <= 1.2x");
    } finally {
      cleanup(targets, shoal, swarm, engine, root);
      Runtime.getRuntime().removeShutdownHook(hook);
    }
  }

  private static void cleanup(Map<String, Target> targets, ShoalDaemon shoal, SwarmDockerd swarm, String engine, Path root) {
    for (Target t : targets.values()) {
      if (t instanceof LimitTarget l) l.cleanup();
    }
    if (shoal != null) {
      String node = shoal.nodeId();
      for (String s : shoal.docker("service", "ls", "-q").out().split("\\s+")) {
        if (!s.isBlank()) shoal.docker("service", "rm", s);
      }
      shoal.close();
      // the daemon is gone: remove what its tasks left on the shared engine (ours only, by node label)
      if (!node.isBlank()) {
        for (String id : lines(Proc.docker(engine, "ps", "-aq", "--filter", "label=com.docker.swarm.node.id=" + node).out())) {
          Proc.docker(engine, "rm", "-f", id);
        }
      }
    }
    if (swarm != null) swarm.close();
    Proc.run(Map.of(), 30, "rm", "-rf", root.toString());
  }

  private static void put(Map<String, Map<String, Double>> m, String phase, String system, double v) {
    m.computeIfAbsent(phase, k -> new LinkedHashMap<>()).put(system, v);
  }

  static String fmt(Double s) {
    return s == null ? "-" : s < 0 ? "timeout" : String.format("%.2f s", s);
  }

  static String ratio(Double a, Double b) {
    return a == null || b == null || a < 0 || b <= 0 ? "-" : String.format("%.2fx", a / b);
  }

  /**
   * Seconds from {@code t0} (taken before the command, so the CLI call counts: for the limit it is
   * the whole work) until exactly {@code n} containers of {@code svc} run; -1 after {@code timeoutS}.
   */
  static double until(Target t, String svc, int n, long t0, int timeoutS) throws InterruptedException {
    long end = t0 + timeoutS * 1_000_000_000L;
    while (System.nanoTime() < end) {
      if (t.running(svc).size() == n) return (System.nanoTime() - t0) / 1e9;
      Thread.sleep(100);
    }
    return -1;
  }

  static double untilReplaced(Target t, String svc, int n, String victim, long t0, int timeoutS) throws InterruptedException {
    long end = t0 + timeoutS * 1_000_000_000L;
    while (System.nanoTime() < end) {
      List<String> ids = t.running(svc);
      if (ids.size() == n && !ids.contains(victim)) return (System.nanoTime() - t0) / 1e9;
      Thread.sleep(100);
    }
    return -1;
  }

  /** A Swarm-mode API (Shoal's or Docker's) driven through {@code docker service}. */
  record ServiceTarget(String name, String api, String engine) implements Target {
    @Override
    public void create(String svc, int n) {
      List<String> cmd = new ArrayList<>(List.of("service", "create", "--detach", "--name", svc, "--replicas", String.valueOf(n),
          "--restart-delay", "0s", Engine.IMAGE));
      cmd.addAll(List.of(CMD));
      check(Proc.docker(api, cmd.toArray(String[]::new)), "service create");
    }

    @Override
    public void scale(String svc, int n) {
      check(Proc.docker(api, "service", "scale", "--detach", svc + "=" + n), "service scale");
    }

    @Override
    public void remove(String svc) {
      Proc.docker(api, "service", "rm", svc);
    }

    @Override
    public List<String> running(String svc) {
      return lines(Proc.docker(engine, "ps", "-q", "--filter", "label=com.docker.swarm.service.name=" + svc).out());
    }
  }

  /** N parallel {@code docker run -d}: the engine's own speed, the floor for any orchestrator on it. */
  static final class LimitTarget implements Target {
    private final String engine;
    private final ExecutorService pool = Executors.newFixedThreadPool(32);
    private final java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();

    LimitTarget(String engine) {
      this.engine = engine;
    }

    @Override
    public String name() {
      return "limit";
    }

    @Override
    public String engine() {
      return engine;
    }

    @Override
    public void create(String svc, int n) throws Exception {
      scale(svc, n);
    }

    /** Runs or removes containers in parallel until {@code n} exist; waits for the CLI calls. */
    @Override
    public void scale(String svc, int n) throws Exception {
      List<String> have = running(svc);
      List<Future<Proc.Result>> fs = new ArrayList<>();
      for (int i = have.size(); i < n; i++) fs.add(pool.submit(() -> run(svc)));
      for (int i = n; i < have.size(); i++) {
        String id = have.get(i);
        fs.add(pool.submit(() -> Proc.docker(engine, "rm", "-f", id)));
      }
      for (Future<Proc.Result> f : fs) f.get();
    }

    private Proc.Result run(String svc) {
      String name = svc + "-" + next.getAndIncrement();
      List<String> cmd = new ArrayList<>(List.of("run", "-d", "--name", name, "--label", "shoalbench.limit=" + svc, Engine.IMAGE));
      cmd.addAll(List.of(CMD));
      return Proc.docker(engine, cmd.toArray(String[]::new));
    }

    void replace(String svc, String victim) {
      Proc.docker(engine, "rm", "-f", victim);
      run(svc);
    }

    @Override
    public void remove(String svc) {
      for (String id : lines(Proc.docker(engine, "ps", "-aq", "--filter", "label=shoalbench.limit=" + svc).out())) {
        Proc.docker(engine, "rm", "-f", id);
      }
    }

    @Override
    public List<String> running(String svc) {
      return lines(Proc.docker(engine, "ps", "-q", "--filter", "label=shoalbench.limit=" + svc).out());
    }

    void cleanup() {
      for (String id : lines(Proc.docker(engine, "ps", "-aq", "--filter", "label=shoalbench.limit").out())) {
        Proc.docker(engine, "rm", "-f", id);
      }
      pool.shutdownNow();
    }
  }

  static List<String> lines(String s) {
    List<String> out = new ArrayList<>();
    for (String l : s.split("\\s+")) {
      if (!l.isBlank()) out.add(l);
    }
    return out;
  }

  static void check(Proc.Result r, String what) {
    if (!r.ok()) throw new IllegalStateException(what + " failed: " + r.out());
  }
}
