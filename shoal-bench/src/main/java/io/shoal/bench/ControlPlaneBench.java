package io.shoal.bench;

import io.shoal.api.model.ContainerSpec;
import io.shoal.api.model.ServiceMode;
import io.shoal.api.model.ServiceSpec;
import io.shoal.api.model.Task;
import io.shoal.api.model.TaskSpec;
import io.shoal.api.model.TaskState;
import io.shoal.store.StoreEvent;
import io.shoal.store.Watch;
import java.io.PrintStream;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * {@code control-plane --nodes N --tasks M [--services S] [--start-latency 0ms] [--timeout 600s]}:
 * the {@link HollowCluster} with N nodes, then S replicated services totalling M tasks created
 * through the control API at once; prints the time until all M are RUNNING, placements/s, and
 * p50/p99 of each task's create → RUNNING (the task's createdAt to its RUNNING status
 * timestamp, both from the same clock). RUNNING transitions are counted from a watch on the
 * leader's store, so the figure includes the status's trip back through the dispatcher and raft.
 */
public final class ControlPlaneBench {
  private ControlPlaneBench() {}

  public static void main(String[] args) throws Exception {
    Bench.main(HollowBench.prepend("control-plane", args));
  }

  public static void run(String[] argv, PrintStream out) throws Exception {
    Args args = new Args(argv);
    int managers = args.integer("managers", 3);
    int nodes = args.integer("nodes", 50);
    int tasks = args.integer("tasks", 500);
    int services = args.integer("services", Math.max(1, tasks / 1000));
    Duration latency = args.duration("start-latency", Duration.ZERO);
    Duration timeout = args.duration("timeout", Duration.ofSeconds(600));
    HollowCluster.printMachine(out);
    out.printf("control-plane: %d managers, %d hollow nodes, %d services totalling %d tasks, start latency %d ms%n",
        managers, nodes, services, tasks, latency.toMillis());
    try (HollowCluster c = new HollowCluster()) {
      c.startManagers(managers, Duration.ofSeconds(5));
      long t0 = System.nanoTime();
      c.startAgents(nodes, latency);
      if (!c.awaitReady(nodes, Duration.ofSeconds(60 + nodes / 20))) {
        out.printf("control-plane: only %d/%d nodes READY; going on with those%n", c.readyNodes(), nodes);
      }
      out.printf("control-plane: %d nodes READY in %.2f s%n", c.readyNodes(), (System.nanoTime() - t0) / 1e9);

      Stats createToRunning = new Stats();
      Set<String> running = new HashSet<>();
      try (Watch w = c.leaderStore().watch(e -> e.subject() instanceof Task)) {
        long start = System.nanoTime();
        int per = tasks / services;
        for (int i = 0; i < services; i++) {
          int replicas = i == services - 1 ? tasks - per * (services - 1) : per;
          TaskSpec t = TaskSpec.of(ContainerSpec.ofImage("shoal-test/busybox:1"));
          c.control().createService(new ServiceSpec("bench" + i, Map.of(), t, ServiceMode.replicas(replicas), null, null, null, null));
        }
        long created = System.nanoTime();
        out.printf("control-plane: %d services created in %.2f s%n", services, (created - start) / 1e9);
        long end = start + timeout.toNanos();
        long lastReport = start;
        while (running.size() < tasks && System.nanoTime() < end) {
          StoreEvent e = w.poll(Duration.ofMillis(200));
          if (e == null && w.isClosed()) break;
          if (e != null && e.subject() instanceof Task task && task.state() == TaskState.RUNNING
              && task.status() != null && running.add(task.id())) {
            createToRunning.add(Duration.between(task.createdAt(), task.status().timestamp()).toNanos());
          }
          if (System.nanoTime() - lastReport > 5_000_000_000L) {
            lastReport = System.nanoTime();
            out.printf("control-plane:   %.0f s: %d/%d running%n", (lastReport - start) / 1e9, running.size(), tasks);
          }
        }
        double secs = (System.nanoTime() - start) / 1e9;
        out.printf("control-plane: %d/%d tasks RUNNING in %.2f s%s; %.0f placements/s; create->running %s%n",
            running.size(), tasks, secs, running.size() < tasks ? " [TIMED OUT]" : "", running.size() / secs,
            createToRunning.millis());
        out.printf("control-plane: raft applied index %d (store writes during the run)%n", c.leaderStore().index());
      }
    }
  }
}
