package io.shoal.bench;

import io.shoal.api.model.ContainerSpec;
import io.shoal.api.model.Service;
import io.shoal.api.model.ServiceMode;
import io.shoal.api.model.ServiceSpec;
import io.shoal.api.model.Task;
import io.shoal.api.model.TaskSpec;
import io.shoal.api.model.TaskState;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code failover [--nodes 10] [--tasks 40] [--heartbeats 5s,1s] [--docker-workers 2] [--no-docker]}: on the {@link HollowCluster}
 * (3 raft managers, hollow agents over mutual TLS), once per heartbeat period:
 * <ul>
 *   <li><b>worker kill</b>: a node's agent stops (no more heartbeats, as a crashed host) → all
 *       of the service's tasks RUNNING again, none on that node. Swarm's rule applies: the node
 *       is DOWN after 3 missed heartbeats, so the figure is about 3 periods plus rescheduling;
 *   <li><b>leader kill</b>: the leading manager's raft, cluster port and leader services stop →
 *       a service create through a surviving manager's control API commits (the API is writable
 *       again), then → the new leader's dispatcher has every live node back.
 * </ul>
 * Then Docker's side, the same measurements on Docker's own swarm ({@link DockerFailover}: 3
 * manager dockerds and {@code --docker-workers} workers, each in a network namespace), and a
 * table of both with the ratio. {@code --no-docker} skips Docker's side (said in the output);
 * when dockerd cannot run in a namespace here, the output says why and Docker's column is empty.
 */
public final class FailoverBench {
  private FailoverBench() {}

  public static void main(String[] args) throws Exception {
    Bench.main(HollowBench.prepend("failover", args));
  }

  public static void run(String[] argv, PrintStream out) throws Exception {
    Args args = new Args(argv);
    int nodes = args.integer("nodes", 10);
    int tasks = args.integer("tasks", 40);
    String[] heartbeats = args.string("heartbeats", "5s,1s").split(",");
    int dockerWorkers = args.integer("docker-workers", 2);
    String engine = args.string("engine-host", Engine.DEFAULT_HOST);
    List<Duration> periods = new java.util.ArrayList<>();
    Map<Long, double[]> shoal = new java.util.LinkedHashMap<>();
    HollowCluster.printMachine(out);
    out.printf("failover: 3 raft managers, %d hollow nodes, one service of %d tasks, election timeout 1-2 s (RaftConfig defaults)%n",
        nodes, tasks);
    for (String hb : heartbeats) {
      Duration heartbeat = new Args(new String[] {"--h", hb}).duration("h", Duration.ofSeconds(5));
      periods.add(heartbeat);
      try (HollowCluster c = new HollowCluster()) {
        c.startManagers(3, heartbeat);
        c.startAgents(nodes, Duration.ZERO);
        HollowCluster.waitFor(() -> c.readyNodes() >= nodes, Duration.ofSeconds(120), nodes + " nodes ready");
        TaskSpec t = TaskSpec.of(ContainerSpec.ofImage("shoal-test/busybox:1"));
        Service s = c.control().createService(new ServiceSpec("web", Map.of(), t, ServiceMode.replicas(tasks), null, null, null, null));
        HollowCluster.waitFor(() -> running(c, s.id(), null) >= tasks, Duration.ofSeconds(120), "tasks running");

        // worker kill: node 0 (the spread scheduler gives every node about tasks/nodes of them; the count is printed)
        int victim = 0;
        String victimId = HollowCluster.nodeId(victim);
        long onVictim = c.leaderStore().view(tx -> tx.tasksOfService(s.id())).stream()
            .filter(x -> victimId.equals(x.nodeID()) && x.state() == TaskState.RUNNING).count();
        long t0 = System.nanoTime();
        c.killAgent(victim);
        boolean ok = HollowCluster.waitUntil(() -> running(c, s.id(), victimId) >= tasks, Duration.ofSeconds(120));
        double worker = (System.nanoTime() - t0) / 1e9;
        out.printf("failover: heartbeat %5d ms: worker kill (%d tasks on it) -> %d/%d tasks running elsewhere in %.2f s%s%n",
            heartbeat.toMillis(), onVictim, tasks, tasks, worker, ok ? "" : " [TIMED OUT]");

        // leader kill
        HollowCluster.Manager old = c.leader();
        HollowCluster.Manager survivor = c.managers().stream().filter(m -> m != old).findFirst().orElseThrow();
        t0 = System.nanoTime();
        old.close();
        double writable = -1;
        long end = System.nanoTime() + 60_000_000_000L;
        int probe = 0;
        while (System.nanoTime() < end) {
          try {
            survivor.control().createService(new ServiceSpec("probe" + probe++, Map.of(), t, ServiceMode.replicas(0), null, null,
                null, null));
            writable = (System.nanoTime() - t0) / 1e9;
            break;
          } catch (RuntimeException e) {
            Thread.sleep(20); // the write failed fast (no leader yet): try again
          }
        }
        boolean agentsBack = HollowCluster.waitUntil(() -> {
          HollowCluster.Manager l = c.leader();
          return l != old && l.leads() && l.sessions() >= nodes - 1 && running(c, s.id(), victimId) >= tasks;
        }, Duration.ofSeconds(120));
        double settled = (System.nanoTime() - t0) / 1e9;
        out.printf("failover: heartbeat %5d ms: leader kill -> API writable via a follower in %s; new leader %s has %d agent sessions back and %d/%d tasks RUNNING after %.2f s%s%n",
            heartbeat.toMillis(), writable < 0 ? "[never within 60 s]" : String.format("%.2f s", writable), c.leader().id(),
            c.leader().sessions(), running(c, s.id(), victimId), tasks, settled, agentsBack ? "" : " [TIMED OUT]");
        shoal.put(heartbeat.toMillis(), new double[] {ok ? worker : -1, writable});
      }
    }
    Map<Long, DockerFailover.Figures> docker = docker(args, engine, dockerWorkers, periods, tasks, out);
    out.println();
    out.printf("failover: %-9s %-36s %10s %10s %13s%n", "heartbeat", "phase (seconds)", "shoal", "docker", "shoal/docker");
    for (Duration hb : periods) {
      double[] s = shoal.get(hb.toMillis());
      DockerFailover.Figures d = docker.get(hb.toMillis());
      out.printf("failover: %6d ms %-36s %10s %10s %13s%n", hb.toMillis(), "worker kill -> tasks running elsewhere",
          EngineBench.fmt(s[0]), d == null ? "-" : EngineBench.fmt(d.worker()), d == null ? "-" : EngineBench.ratio(s[0], d.worker()));
      out.printf("failover: %6d ms %-36s %10s %10s %13s%n", hb.toMillis(), "leader kill -> API writable",
          EngineBench.fmt(s[1]), d == null ? "-" : EngineBench.fmt(d.writable()), d == null ? "-" : EngineBench.ratio(s[1], d.writable()));
    }
  }

  /** Docker's figures per heartbeat (ms), or an empty map with the reason printed. */
  private static Map<Long, DockerFailover.Figures> docker(Args args, String engine, int workers, List<Duration> periods, int tasks,
      PrintStream out) throws Exception {
    if (args.flag("no-docker")) {
      out.println("failover: Docker's side SKIPPED (--no-docker): no Docker figures in this run");
      return Map.of();
    }
    String why = NetnsSwarm.unavailable();
    if (why == null) why = Engine.unavailable(engine);
    if (why != null) {
      out.println("failover: Docker's side SKIPPED: " + why);
      return Map.of();
    }
    out.printf("failover: Docker's side: 3 manager dockerds (drained) + %d worker dockerds, each in a network namespace, one service of %d tasks; docker %s%n",
        workers, tasks, Proc.docker(engine, "version", "--format", "{{.Server.Version}}").out());
    NetnsSwarm swarm;
    long t0 = System.nanoTime();
    try {
      swarm = NetnsSwarm.start(3, workers, engine);
    } catch (Exception e) {
      // never faked: say loudly why there is no Docker figure
      out.println("failover: Docker's side SKIPPED: Docker's swarm could not be started in network namespaces here: " + e.getMessage());
      return Map.of();
    }
    // Ctrl-C or a CI timeout must not leave dockerds, namespaces or mounts behind
    Thread hook = new Thread(swarm::close, "bench-failover-cleanup");
    Runtime.getRuntime().addShutdownHook(hook);
    try (swarm) {
      out.printf("failover: Docker's swarm of %d dockerds up and joined in %.1f s%n", swarm.hosts.size(), (System.nanoTime() - t0) / 1e9);
      return DockerFailover.run(swarm, periods, tasks, out);
    } finally {
      Runtime.getRuntime().removeShutdownHook(hook);
    }
  }

  /** Tasks of {@code service} RUNNING and desired RUNNING, not on {@code excludeNode}. */
  static long running(HollowCluster c, String service, String excludeNode) {
    List<Task> ts = c.leaderStore().view(tx -> tx.tasksOfService(service));
    return ts.stream().filter(x -> x.state() == TaskState.RUNNING && x.desiredState() == TaskState.RUNNING
        && (excludeNode == null || !excludeNode.equals(x.nodeID()))).count();
  }
}
