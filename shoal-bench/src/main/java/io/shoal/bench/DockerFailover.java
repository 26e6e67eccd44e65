package io.shoal.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Docker's side of {@code failover}: the same two measurements as the Shoal side, on Docker's
 * own swarm ({@link NetnsSwarm}: 3 manager dockerds, drained, and {@code workers} worker
 * dockerds, each in a network namespace). Same service size, same clock ({@code System.nanoTime}
 * from just before the kill), same poll (every 50 ms, the count the Shoal side takes from the
 * leader's store is taken here from a surviving manager's {@code GET /tasks}):
 * <ul>
 *   <li><b>worker kill</b>: SIGKILL the worker dockerd with most of the service's tasks → all
 *       tasks running and desired running, none on that node;
 *   <li><b>leader kill</b>: SIGKILL the leading manager's dockerd → a service create (0
 *       replicas, as on the Shoal side) through another manager's API is accepted.
 * </ul>
 * Between heartbeat periods the killed dockerds are restarted on their data roots (they rejoin)
 * and the period is set with {@code docker swarm update --dispatcher-heartbeat}. Tasks are real
 * containers (the Shoal side's are hollow), so Docker's worker figure includes starting the
 * moved containers on a 2-core machine.
 */
final class DockerFailover {
  /** A task command that exits on SIGTERM, so stopping never waits out the 10 s grace period. */
  private static final String[] CMD = {"sh", "-c", "trap 'exit 0' TERM; while :; do sleep 1; done"};

  /** Seconds per heartbeat period (ms): worker kill → tasks elsewhere, leader kill → writable; -1 if not reached. */
  record Figures(double worker, long onVictim, double writable) {}

  private DockerFailover() {}

  static Map<Long, Figures> run(NetnsSwarm swarm, List<Duration> heartbeats, int tasks, PrintStream out) throws Exception {
    Map<Long, Figures> figures = new LinkedHashMap<>();
    int round = 0;
    for (Duration hb : heartbeats) {
      round++;
      for (NetnsSwarm.Host h : swarm.hosts) swarm.restart(h);
      swarm.awaitHealthy(Duration.ofSeconds(180));
      NetnsSwarm.Host leader = swarm.leader();
      NetnsSwarm.must(leader.docker("swarm", "update", "--dispatcher-heartbeat", hb.toMillis() + "ms"), "swarm update");
      // read back what the managers hold, so the output says which period was really in force
      out.printf("failover: docker heartbeat %5d ms: swarm spec now %s%n", hb.toMillis(),
          leader.docker("info", "--format", "{{json .Swarm.Cluster.Spec.Dispatcher}}").out());
      String svc = "web" + round;
      List<String> create = new ArrayList<>(List.of("service", "create", "--detach", "--no-resolve-image", "--name", svc,
          "--replicas", String.valueOf(tasks), Engine.IMAGE));
      create.addAll(List.of(CMD));
      NetnsSwarm.must(leader.docker(create.toArray(String[]::new)), "service create");
      HollowCluster.waitFor(() -> swarm.running(leader, svc, null) >= tasks, Duration.ofSeconds(300), tasks + " Docker tasks running");

      // worker kill: the worker with most of the service's tasks, as on the Shoal side
      Map<String, Long> per = swarm.perNode(leader, svc);
      NetnsSwarm.Host victim = swarm.hosts.stream().filter(h -> !h.manager)
          .max((a, b) -> Long.compare(per.getOrDefault(a.nodeId, 0L), per.getOrDefault(b.nodeId, 0L))).orElseThrow();
      long onVictim = per.getOrDefault(victim.nodeId, 0L);
      long t0 = System.nanoTime();
      swarm.kill(victim);
      long kill0 = t0;
      double[] down = {-1};
      // when the managers mark the node down too: it splits the figure into detection and rescheduling
      boolean ok = HollowCluster.waitUntil(() -> {
        if (down[0] < 0 && swarm.nodeDown(leader, victim)) down[0] = (System.nanoTime() - kill0) / 1e9;
        return swarm.running(leader, svc, victim.nodeId) >= tasks;
      }, Duration.ofSeconds(180));
      double worker = ok ? (System.nanoTime() - t0) / 1e9 : -1;
      out.printf("failover: docker heartbeat %5d ms: worker kill (%d tasks on it) -> node down after %s, %d/%d tasks running elsewhere in %s%n",
          hb.toMillis(), onVictim, down[0] < 0 ? "-" : String.format("%.2f s", down[0]), swarm.running(leader, svc, victim.nodeId), tasks,
          ok ? String.format("%.2f s", worker) : "[TIMED OUT]");

      // leader kill: another manager's API accepts a write (raft has a new leader and committed)
      NetnsSwarm.Host survivor = swarm.managerOtherThan(leader);
      t0 = System.nanoTime();
      swarm.kill(leader);
      double writable = -1;
      long end = t0 + 120_000_000_000L;
      int probe = 0;
      String lastError = "";
      while (System.nanoTime() < end) {
        String body = "{\"Name\":\"probe" + round + "-" + probe++ + "\",\"TaskTemplate\":{\"ContainerSpec\":{\"Image\":\""
            + Engine.IMAGE + "\"}},\"Mode\":{\"Replicated\":{\"Replicas\":0}}}";
        Proc.Result r = survivor.api(30, "POST", "/services/create", body);
        if (r.ok()) {
          writable = (System.nanoTime() - t0) / 1e9;
          break;
        }
        lastError = r.out();
        Thread.sleep(20); // refused (no leader yet): try again, as the Shoal side does
      }
      NetnsSwarm.Host next = swarm.leader();
      out.printf("failover: docker heartbeat %5d ms: leader kill (%s) -> API writable via %s in %s; new leader %s%n", hb.toMillis(),
          leader.name, survivor.name, writable < 0 ? "[never within 120 s: " + Engine.firstLine(lastError) + "]"
              : String.format("%.2f s", writable), next == null ? "none" : next.name);
      if (next != null) next.docker("service", "rm", svc);
      figures.put(hb.toMillis(), new Figures(worker, onVictim, writable));
    }
    return figures;
  }
}
