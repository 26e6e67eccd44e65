package io.shoal.raft;

import static io.shoal.raft.Fixtures.create;
import static io.shoal.raft.Fixtures.secret;

import io.shoal.store.MemoryStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Prints raft figures with the production defaults (not a test: figures, no assertions):
 * sequential and pipelined write latency on a 3-manager group, and leader failover time (leader
 * closed → a write proposed through a surviving follower is committed and applied there).
 *
 * <pre>
 * mvn -o -q -pl shoal-raft test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 * java -cp shoal-raft/target/test-classes:shoal-raft/target/classes:$(cat /tmp/cp.txt) io.shoal.raft.FailoverBenchmark [rounds [minMs maxMs]]
 * </pre>
 */
public final class FailoverBenchmark {
  private FailoverBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    RaftConfig config = RaftConfig.defaults();
    // [rounds] [electionMinMs electionMaxMs]: other election timeouts, measured the same way
    if (args.length > 2) {
      config = config.withElectionTimeout(java.time.Duration.ofMillis(Long.parseLong(args[1])),
          java.time.Duration.ofMillis(Long.parseLong(args[2])));
    }
    long[] failover = new long[rounds];
    for (int r = 0; r < rounds; r++) {
      Path root = Files.createTempDirectory("shoal-raft-bench");
      List<RaftNode> nodes = new ArrayList<>();
      try {
        RaftNode m1 = node("m1", root, config, nodes);
        m1.bootstrap();
        for (String id : List.of("m2", "m3")) {
          String address = Fixtures.freeAddress();
          RaftNode n = new RaftNode(id, address, root.resolve(id), new MemoryStore(Fixtures.CLOCK), null,
              Fixtures.CLOCK, config);
          nodes.add(n);
          n.join(m1.groupId(), m1.dataKey().export());
          m1.addPeer(id, address);
        }
        if (r == 0) {
          int n = 300;
          long t0 = System.nanoTime();
          for (int i = 0; i < n; i++) nodes.get(1).propose(create(secret("seq" + i))).get(10, TimeUnit.SECONDS);
          long seq = System.nanoTime() - t0;
          List<CompletableFuture<Long>> fs = new ArrayList<>();
          t0 = System.nanoTime();
          for (int i = 0; i < n; i++) fs.add(m1.propose(create(secret("pipe" + i))));
          for (CompletableFuture<Long> f : fs) f.get(30, TimeUnit.SECONDS);
          long pipe = System.nanoTime() - t0;
          System.out.printf("3 managers: sequential write via follower %.2f ms/write; %d pipelined writes on leader %.0f writes/s%n",
              seq / 1e6 / n, n, n / (pipe / 1e9));
        }
        long t0 = System.nanoTime();
        m1.close();
        nodes.get(1).propose(create(secret("after"))).get(30, TimeUnit.SECONDS);
        failover[r] = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("round %d: leader failover (close -> write applied via follower) %d ms%n", r + 1, failover[r]);
      } finally {
        nodes.forEach(RaftNode::close);
      }
    }
    Arrays.sort(failover);
    System.out.printf("failover with election timeout %s-%s: min %d ms, median %d ms, max %d ms%n",
        config.electionTimeoutMin().toMillis(), config.electionTimeoutMax().toMillis(), failover[0],
        failover[(rounds - 1) / 2], failover[rounds - 1]);
    System.exit(0);
  }

  private static RaftNode node(String id, Path root, RaftConfig config, List<RaftNode> nodes) {
    RaftNode n = new RaftNode(id, Fixtures.freeAddress(), root.resolve(id), new MemoryStore(Fixtures.CLOCK), null,
        Fixtures.CLOCK, config);
    nodes.add(n);
    return n;
  }
}
