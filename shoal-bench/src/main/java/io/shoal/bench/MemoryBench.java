package io.shoal.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code memory [--nodes 200] [--idle 10s]}: resident memory (VmRSS) of
 * <ul>
 *   <li>an idle manager: a shoal daemon after {@code swarm init} (it runs the agent too, as every
 *       Swarm manager does), left idle for {@code --idle};
 *   <li>an idle agent: a second daemon that joined that swarm as a worker, same idle time (if the
 *       join fails, its error is printed and the figure is skipped);
 *   <li>per hollow node: this JVM's RSS and heap after GC with {@code --nodes} hollow agents on a
 *       3-manager {@link HollowCluster}, minus without them, over the count.
 * </ul>
 * Daemons use the process executor (no engine needed) and the daemon's JVM flags (serial GC,
 * default heap sizing), so RSS is what the JVM keeps, not what it strictly needs.
 */
public final class MemoryBench {
  private MemoryBench() {}

  public static void main(String[] args) throws Exception {
    Bench.main(HollowBench.prepend("memory", args));
  }

  public static void run(String[] argv, PrintStream out) throws Exception {
    Args args = new Args(argv);
    int nodes = args.integer("nodes", 200);
    Duration idle = args.duration("idle", Duration.ofSeconds(10));
    HollowCluster.printMachine(out);
    Path root = Files.createTempDirectory("shoal-bench-memory");
    try (ShoalDaemon manager = ShoalDaemon.start(root.resolve("manager"), "process", null, "bench-manager")) {
      manager.swarmInit();
      Thread.sleep(idle.toMillis()); // idle on purpose: the figure is what an idle daemon holds
      out.printf("memory: idle manager (swarm init, leader, own agent): RSS %d MiB after %d s idle%n",
          Proc.rssKib(manager.pid()) >> 10, idle.toSeconds());
      String token = manager.docker("swarm", "join-token", "-q", "worker").out();
      try (ShoalDaemon worker = ShoalDaemon.start(root.resolve("worker"), "process", null, "bench-worker")) {
        Proc.Result j = worker.docker("swarm", "join", "--token", token, "--advertise-addr", "127.0.0.1:" + worker.port,
            "127.0.0.1:" + manager.port);
        if (j.ok()) {
          Thread.sleep(idle.toMillis());
          out.printf("memory: idle agent (worker joined): RSS %d MiB after %d s idle%n", Proc.rssKib(worker.pid()) >> 10,
              idle.toSeconds());
        } else {
          out.printf("memory: idle agent: join failed (%s); idle daemon outside a swarm: RSS %d MiB%n",
              Engine.firstLine(j.out()), Proc.rssKib(worker.pid()) >> 10);
        }
      }
    } finally {
      Proc.run(java.util.Map.of(), 30, "rm", "-rf", root.toString());
    }
    long self = ProcessHandle.current().pid();
    try (HollowCluster c = new HollowCluster()) {
      c.startManagers(3, Duration.ofSeconds(5));
      long heap0 = HollowCluster.heapAfterGc();
      long rss0 = Proc.rssKib(self);
      c.startAgents(nodes, Duration.ZERO);
      c.awaitReady(nodes, Duration.ofSeconds(60 + nodes / 20));
      long heap1 = HollowCluster.heapAfterGc();
      long rss1 = Proc.rssKib(self);
      out.printf("memory: %d hollow nodes: RSS +%d MiB (%.0f KiB per node), heap after GC +%d MiB (%.0f KiB per node)%n", nodes,
          (rss1 - rss0) >> 10, (rss1 - rss0) / (double) nodes, (heap1 - heap0) >> 20, (heap1 - heap0) / 1024.0 / nodes);
    }
  }
}
