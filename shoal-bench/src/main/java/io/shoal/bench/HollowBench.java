package io.shoal.bench;

import java.io.PrintStream;
import java.time.Duration;

/**
 * {@code hollow --managers 3 --nodes N [--start-latency 0ms] [--heartbeat 5s]}: brings up the
 * {@link HollowCluster} and prints how long N agents took to register over mutual TLS and the
 * heap each hollow node costs (heap after GC with the nodes, minus before, over N).
 */
public final class HollowBench {
  private HollowBench() {}

  public static void main(String[] args) throws Exception {
    Bench.main(prepend("hollow", args));
  }

  static String[] prepend(String name, String[] args) {
    String[] a = new String[args.length + 1];
    a[0] = name;
    System.arraycopy(args, 0, a, 1, args.length);
    return a;
  }

  public static void run(String[] argv, PrintStream out) throws Exception {
    Args args = new Args(argv);
    int managers = args.integer("managers", 3);
    int nodes = args.integer("nodes", 100);
    Duration latency = args.duration("start-latency", Duration.ZERO);
    Duration heartbeat = args.duration("heartbeat", Duration.ofSeconds(5));
    boolean sharedKey = args.flag("shared-key");
    HollowCluster.printMachine(out);
    out.printf("hollow: %d raft managers, %d hollow nodes, start latency %d ms, heartbeat %d ms%n", managers, nodes,
        latency.toMillis(), heartbeat.toMillis());
    try (HollowCluster c = new HollowCluster()) {
      long t0 = System.nanoTime();
      c.startManagers(managers, heartbeat);
      out.printf("hollow: managers up and leader services running in %.2f s%n", (System.nanoTime() - t0) / 1e9);
      double certs = c.issueCertificates(nodes, sharedKey);
      out.printf("hollow: %d worker certificates issued by the root CA in %.2f s (%.0f/s, %s)%n", nodes, certs, nodes / certs,
          sharedKey ? "one shared key pair" : "a key pair each");
      long before = HollowCluster.heapAfterGc();
      t0 = System.nanoTime();
      c.startAgents(latency);
      boolean ok = c.awaitReady(nodes, Duration.ofSeconds(60 + nodes / 20));
      long ready = System.nanoTime();
      out.printf("hollow: all %d agents registered over mutual TLS (each READY once) in %.2f s (%.0f registrations/s)%s;"
          + " %d READY now%n", nodes, (ready - t0) / 1e9, nodes / ((ready - t0) / 1e9), ok ? "" : " [TIMED OUT]", c.readyNodes());
      long after = HollowCluster.heapAfterGc();
      out.printf("hollow: heap after GC %d MiB before agents, %d MiB with them: %.1f KiB per hollow node%n",
          before >> 20, after >> 20, (after - before) / 1024.0 / nodes);
      out.printf("hollow: JVM threads %d for %d nodes%n", Thread.activeCount(), nodes);
    }
  }
}
