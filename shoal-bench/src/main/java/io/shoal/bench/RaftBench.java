package io.shoal.bench;

import io.shoal.api.model.Secret;
import io.shoal.api.model.Version;
import io.shoal.raft.RaftConfig;
import io.shoal.raft.RaftNode;
import io.shoal.store.MemoryStore;
import io.shoal.store.Proposal;
import io.shoal.store.StoreAction;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * {@code raft [--managers 3] [--seconds 5] [--writers 100] [--batch 500]}: store commit figures on
 * a raft group on loopback (the production {@link RaftConfig#defaults}, real disk log in a temp
 * dir), each phase bounded by time:
 * <ol>
 *   <li>{@code store.update}, 1 writer: one transaction = one proposal = one raft entry, waited for;
 *   <li>{@code store.update}, N writers at once (the store serialises its writers, so this shows
 *       what concurrency buys through the store API);
 *   <li>{@code raft.propose} with N proposals in flight (what the raft layer pipelines on its own);
 *   <li>{@code store.batch}: transactions grouped into proposals of up to {@code --batch} actions
 *       (how the orchestrator and dispatcher write many objects).
 * </ol>
 * Each prints writes (transactions) per second and p50/p99 commit latency per proposal.
 */
public final class RaftBench {
  private static final Clock CLOCK = Clock.systemUTC();

  private RaftBench() {}

  public static void main(String[] args) throws Exception {
    Bench.main(HollowBench.prepend("raft", args));
  }

  public static void run(String[] argv, PrintStream out) throws Exception {
    Args args = new Args(argv);
    int managers = args.integer("managers", 3);
    Duration phase = Duration.ofMillis((long) (Double.parseDouble(args.string("seconds", "5")) * 1000));
    int writers = args.integer("writers", 100);
    int batch = Math.min(args.integer("batch", MemoryStore.MAX_BATCH_ACTIONS), MemoryStore.MAX_BATCH_ACTIONS);
    HollowCluster.printMachine(out);
    out.printf("raft: %d managers on loopback, %d s per phase, %d concurrent writers, batches of %d%n", managers,
        phase.toSeconds(), writers, batch);
    // --dir /dev/shm puts the raft log on tmpfs: what fsync costs shows as the difference
    Path root = Files.createTempDirectory(Path.of(args.string("dir", System.getProperty("java.io.tmpdir"))), "shoal-bench-raft");
    out.printf("raft: data in %s, encryption at rest %s%n", root, args.flag("no-encrypt") ? "off" : "on");
    List<RaftNode> nodes = new ArrayList<>();
    try {
      RaftConfig config = RaftConfig.defaults().withEncryptAtRest(!args.flag("no-encrypt"));
      MemoryStore store = new MemoryStore(CLOCK);
      RaftNode leader = new RaftNode("m1", HollowCluster.freeAddress(), root.resolve("m1"), store, null, CLOCK, config);
      store.setProposer(leader);
      nodes.add(leader);
      leader.bootstrap();
      for (int i = 2; i <= managers; i++) {
        String addr = HollowCluster.freeAddress();
        MemoryStore s = new MemoryStore(CLOCK);
        RaftNode n = new RaftNode("m" + i, addr, root.resolve("m" + i), s, null, CLOCK, config);
        s.setProposer(n);
        nodes.add(n);
        n.join(leader.groupId(), leader.dataKey() == null ? null : leader.dataKey().export());
        leader.addPeer("m" + i, addr);
      }
      HollowCluster.waitFor(leader::isLeader, Duration.ofSeconds(30), "m1 to lead");
      AtomicLong seq = new AtomicLong();
      // warm-up: JIT and Ratis' first segment, so phase 1 is not measuring class loading
      timedUpdates(store, 1, Duration.ofSeconds(1), seq);

      Result one = timedUpdates(store, 1, phase, seq);
      out.printf("raft: store.update, 1 writer:        %7.0f writes/s, commit %s%n", one.rate(), one.latency.millis());
      Result many = timedUpdates(store, writers, phase, seq);
      out.printf("raft: store.update, %3d writers:     %7.0f writes/s, commit %s%n", writers, many.rate(), many.latency.millis());
      Result piped = pipelined(leader, writers, phase, seq);
      out.printf("raft: raft.propose, %3d in flight:   %7.0f writes/s, commit %s%n", writers, piped.rate(), piped.latency.millis());
      Result batched = batched(store, batch, phase, seq);
      out.printf("raft: store.batch, %3d per proposal: %7.0f writes/s, commit %s per proposal%n", batch, batched.rate(),
          batched.latency.millis());
      out.printf("raft: ratios: %d writers / 1 writer %.2fx; pipelined / 1 writer %.2fx; batched / 1 writer %.2fx%n", writers,
          many.rate() / one.rate(), piped.rate() / one.rate(), batched.rate() / one.rate());
      out.printf("raft: target >= 20000 writes/s batched, p99 < 20 ms: batched %.0f writes/s (%s), p99 %.1f ms%n",
          batched.rate(), batched.rate() >= 20000 ? "met" : "missed", batched.latency.percentile(99) / 1e6);
    } finally {
      nodes.forEach(RaftNode::close);
      try (Stream<Path> files = Files.walk(root)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  record Result(long writes, long nanos, Stats latency) {
    double rate() {
      return writes / (nanos / 1e9);
    }
  }

  static Secret secret(long i) {
    return new Secret("bench-secret-" + i, Version.ZERO, null, null,
        new Secret.Spec("bench" + i, Map.of(), "YmVuY2g=", null, null));
  }

  private static Result timedUpdates(MemoryStore store, int writers, Duration phase, AtomicLong seq) throws Exception {
    Stats lat = new Stats();
    AtomicInteger done = new AtomicInteger();
    long end = System.nanoTime() + phase.toNanos();
    List<Thread> threads = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int w = 0; w < writers; w++) {
      Thread t = new Thread(() -> {
        while (System.nanoTime() < end) {
          long s = System.nanoTime();
          Secret x = secret(seq.incrementAndGet());
          store.update(tx -> tx.create(x));
          lat.addSync(System.nanoTime() - s);
          done.incrementAndGet();
        }
      }, "bench-writer-" + w);
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) t.join();
    return new Result(done.get(), System.nanoTime() - t0, lat);
  }

  private static Result pipelined(RaftNode raft, int inFlight, Duration phase, AtomicLong seq) throws Exception {
    Stats lat = new Stats();
    Semaphore window = new Semaphore(inFlight);
    AtomicInteger done = new AtomicInteger();
    long end = System.nanoTime() + phase.toNanos();
    long t0 = System.nanoTime();
    while (System.nanoTime() < end) {
      if (!window.tryAcquire(100, TimeUnit.MILLISECONDS)) continue;
      long s = System.nanoTime();
      CompletableFuture<Long> f = raft.propose(new Proposal(CLOCK.instant(), List.of(StoreAction.create(secret(seq.incrementAndGet())))));
      f.whenComplete((v, e) -> {
        if (e == null) {
          lat.addSync(System.nanoTime() - s);
          done.incrementAndGet();
        }
        window.release();
      });
    }
    window.acquire(inFlight); // let the last ones land: they count, and the time includes them
    return new Result(done.get(), System.nanoTime() - t0, lat);
  }

  private static Result batched(MemoryStore store, int perProposal, Duration phase, AtomicLong seq) {
    Stats lat = new Stats();
    long writes = 0;
    long end = System.nanoTime() + phase.toNanos();
    long t0 = System.nanoTime();
    while (System.nanoTime() < end) {
      long s = System.nanoTime();
      store.batch(b -> {
        for (int i = 0; i < perProposal; i++) {
          Secret x = secret(seq.incrementAndGet());
          b.update(tx -> tx.create(x));
        }
      });
      lat.add(System.nanoTime() - s);
      writes += perProposal;
    }
    return new Result(writes, System.nanoTime() - t0, lat);
  }
}
