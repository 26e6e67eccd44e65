package io.shoal.bench;

import io.shoal.gossip.EndpointRecord;
import io.shoal.gossip.GossipConfig;
import io.shoal.gossip.GossipKey;
import io.shoal.gossip.GossipListener;
import io.shoal.gossip.GossipRecord;
import io.shoal.gossip.GossipService;
import io.shoal.gossip.Keyring;
import io.shoal.gossip.MemberInfo;
import io.shoal.gossip.MemberState;
import io.shoal.gossip.sim.SimNetwork;
import io.shoal.gossip.sim.SimNetwork.SimMember;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code gossip [--members 1000,5000] [--changes 5] [--seed 1] [--loss 0.0] [--delay-ms 1-5]
 * [--real-members 60] [--load-seconds 30] [--burners 8]}: the gossip protocol's figures.
 *
 * <p>Simulated part: hollow members, the real {@code GossipNode} code (codec and AES-GCM included)
 * over {@link SimNetwork} on a simulated clock, every member knowing every other (a cluster that
 * joined long ago). Printed per size: time for one endpoint change to reach 99 % / 100 % of the
 * members (median and worst of {@code --changes}), bytes sent per member per second idle and while
 * the changes spread, time for a crashed member to be confirmed dead by the first member, 99 %,
 * 100 %, and suspicions/false deaths seen.
 *
 * <p>Real part: {@code --real-members} {@code GossipService}s, each its own UDP and TCP socket on
 * loopback and its own threads, first idle for {@code --load-seconds}, then as long again with
 * {@code --burners} busy threads loading the machine: suspicions raised and false deaths per
 * phase, once with Lifeguard's local health awareness and once without (max local health 0).
 */
public final class GossipBench {
  private GossipBench() {}

  public static void main(String[] args) {
    Bench.main(HollowBench.prepend("gossip", args));
  }

  public static void run(String[] argv, PrintStream out) throws Exception {
    Args args = new Args(argv);
    int[] sizes = Arrays.stream(args.string("members", "1000,5000").split(",")).mapToInt(Integer::parseInt).toArray();
    int changes = args.integer("changes", 5);
    long seed = Long.parseLong(args.string("seed", "1"));
    double loss = Double.parseDouble(args.string("loss", "0.0"));
    String[] delay = args.string("delay-ms", "1-5").split("-");
    int realMembers = args.integer("real-members", 60);
    int loadSeconds = args.integer("load-seconds", 30);
    int burners = args.integer("burners", 4 * Runtime.getRuntime().availableProcessors());
    HollowCluster.printMachine(out);
    GossipConfig config = GossipConfig.lan();
    out.printf("config: probe %d ms (timeout %d ms, %d indirect), suspicion x%d..x%d, gossip every %d ms to %d, "
            + "push-pull %d s; seed %d, loss %.1f %%, delay %s-%s ms%n",
        config.probeInterval().toMillis(), config.probeTimeout().toMillis(), config.indirectChecks(),
        config.suspicionMult(), config.suspicionMult() * config.suspicionMaxMult(), config.gossipInterval().toMillis(),
        config.gossipFanout(), config.pushPullInterval().toSeconds(), seed, loss * 100, delay[0], delay[1]);
    for (int n : sizes) simulated(out, n, changes, seed, loss, Long.parseLong(delay[0]), Long.parseLong(delay[1]));
    if (realMembers > 0) {
      underLoad(out, realMembers, loadSeconds, burners, config, "lifeguard");
      GossipConfig noLhm = new GossipConfig(config.probeInterval(), config.probeTimeout(), config.indirectChecks(),
          config.suspicionMult(), config.suspicionMaxMult(), 0, config.gossipInterval(), config.gossipFanout(),
          config.retransmitMult(), config.pushPullInterval(), config.reconnectInterval(), config.deadRetention(),
          config.tombstoneRetention(), config.packetBudget());
      underLoad(out, realMembers, loadSeconds, burners, noLhm, "no-local-health");
    }
  }

  private static void simulated(PrintStream out, int n, int changes, long seed, double loss, long minDelay,
      long maxDelay) {
    long wallStart = System.nanoTime();
    SimNetwork net = new SimNetwork(seed);
    Keyring keys = Keyring.of(new GossipKey(1, new byte[32]));
    GossipConfig config = GossipConfig.lan();
    for (int i = 0; i < n; i++) net.add("node-" + i, config, keys);
    List<SimMember> members = net.members();
    for (SimMember m : members) {
      for (SimMember o : members) if (o != m) m.node.addKnownMember(o.id, o.address);
    }
    net.setLoss(loss);
    net.setDelay(minDelay, maxDelay);
    // first-seen time per (key, member), dead verdicts per subject
    ConcurrentHashMap<String, long[]> seen = new ConcurrentHashMap<>();
    ConcurrentHashMap<String, long[]> dead = new ConcurrentHashMap<>();
    AtomicLong falseDeaths = new AtomicLong();
    AtomicLong suspects = new AtomicLong();
    String[] victim = {""};
    for (int i = 0; i < n; i++) {
      final int idx = i;
      members.get(i).node.addListener(new GossipListener() {
        @Override
        public void recordChanged(GossipRecord r, boolean present) {
          long[] t = seen.get(r.key());
          if (present && t != null && t[idx] == 0) t[idx] = net.now();
        }

        @Override
        public void memberChanged(MemberInfo m) {
          if (m.state() == MemberState.SUSPECT) suspects.incrementAndGet();
          if (m.state() == MemberState.DEAD) {
            if (!m.id().equals(victim[0])) falseDeaths.incrementAndGet();
            long[] t = dead.get(m.id());
            if (t != null && t[idx] == 0) t[idx] = net.now();
          }
        }
      });
    }
    net.runFor(5_000);
    long idleBytes0 = net.bytesSent();
    long idleStart = net.now();
    net.runFor(10_000);
    double idleBytes = (net.bytesSent() - idleBytes0) / (double) n / ((net.now() - idleStart) / 1000.0);

    SplittableRandom rnd = new SplittableRandom(seed);
    List<Long> to99 = new ArrayList<>();
    List<Long> to100 = new ArrayList<>();
    long busyBytes0 = net.bytesSent();
    long busyStart = net.now();
    for (int c = 0; c < changes; c++) {
      SimMember owner = members.get(rnd.nextInt(n));
      EndpointRecord e = new EndpointRecord("svc" + c, "task" + c, "net", "10.0.0." + (c + 2), owner.id, "running");
      long[] t = new long[n];
      seen.put(e.key(), t);
      long start = net.now();
      net.on(owner, node -> node.publish(EndpointRecord.TABLE, e.key(), e.encode()));
      long[] done = waitSpread(net, t, start, 30_000);
      to99.add(done[0]);
      to100.add(done[1]);
      net.runFor(2_000);
    }
    double busyBytes = (net.bytesSent() - busyBytes0) / (double) n / ((net.now() - busyStart) / 1000.0);

    SimMember v = members.get(rnd.nextInt(n));
    victim[0] = v.id;
    long[] t = new long[n];
    dead.put(v.id, t);
    long crashAt = net.now();
    net.crash(v);
    int idx = members.indexOf(v);
    t[idx] = crashAt; // the victim itself does not count
    long[] confirmed = waitSpread(net, t, crashAt, 60_000);
    long first = Arrays.stream(t).filter(x -> x > 0).map(x -> x - crashAt).filter(x -> x > 0).min().orElse(-1);
    out.printf("simulated %,d members: one change reaches 99%% in %s ms, 100%% in %s ms (median / worst of %d); "
            + "bytes sent per member per second: %.0f idle, %.0f while changes spread; crashed member confirmed dead: "
            + "first %d ms, 99%% %d ms, 100%% %d ms; suspicions %d, false deaths %d; %.1f s wall%n",
        n, medianWorst(to99), medianWorst(to100), changes, idleBytes, busyBytes, first, confirmed[0], confirmed[1],
        suspects.get(), falseDeaths.get(), (System.nanoTime() - wallStart) / 1e9);
  }

  /** Runs in 10 ms steps until every slot of {@code t} is set; returns ms to 99 % and 100 % (-1: not reached). */
  private static long[] waitSpread(SimNetwork net, long[] t, long start, long limit) {
    int n = t.length;
    long p99 = -1;
    while (net.now() - start < limit) {
      net.runFor(10);
      int count = 0;
      for (long x : t) if (x > 0) count++;
      if (p99 < 0 && count >= Math.ceil(n * 0.99)) p99 = net.now() - start;
      if (count == n) return new long[] {p99, net.now() - start};
    }
    return new long[] {p99, -1};
  }

  private static String medianWorst(List<Long> xs) {
    List<Long> s = new ArrayList<>(xs);
    s.sort(null);
    return s.get(s.size() / 2) + " / " + s.get(s.size() - 1);
  }

  private static void underLoad(PrintStream out, int n, int seconds, int burners, GossipConfig config, String label)
      throws Exception {
    Keyring keys = Keyring.of(new GossipKey(1, new byte[32]));
    List<GossipService> services = new ArrayList<>();
    AtomicLong deaths = new AtomicLong();
    try {
      for (int i = 0; i < n; i++) {
        GossipService s = GossipService.start(config, "real-" + i, "127.0.0.1", 0, "127.0.0.1", keys, Clock.systemUTC());
        s.addListener(new GossipListener() {
          @Override
          public void memberChanged(MemberInfo m) {
            if (m.state() == MemberState.DEAD) deaths.incrementAndGet();
          }
        });
        services.add(s);
      }
      for (GossipService s : services) {
        for (GossipService o : services) if (o != s) s.addKnownMember(o.id(), o.address());
      }
      Thread.sleep(3_000);
      long[] idle = phase(services, deaths, seconds, 0);
      long[] loaded = phase(services, deaths, seconds, burners);
      out.printf("real %d members over loopback UDP (%s): idle %d s: %d suspicions, %d false deaths; "
              + "%d busy threads %d s: %d suspicions, %d false deaths, load average after %s%n",
          n, label, seconds, idle[0], idle[1], burners, seconds, loaded[0], loaded[1], loadAverage());
    } finally {
      services.forEach(GossipService::close);
    }
  }

  private static long[] phase(List<GossipService> services, AtomicLong deaths, int seconds, int burners)
      throws InterruptedException {
    long s0 = services.stream().mapToLong(s -> s.metrics().suspicionsRaised.sum()).sum();
    long d0 = deaths.get();
    List<Thread> load = new ArrayList<>();
    java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
    for (int i = 0; i < burners; i++) {
      Thread t = new Thread(() -> {
        long x = 0;
        while (!stop.get()) x += Long.numberOfTrailingZeros(x * 31 + 7);
        if (x == 42) System.out.print("");
      }, "gossip-bench-burner");
      t.setDaemon(true);
      t.start();
      load.add(t);
    }
    Thread.sleep(Duration.ofSeconds(seconds).toMillis());
    stop.set(true);
    for (Thread t : load) t.join();
    long s1 = services.stream().mapToLong(s -> s.metrics().suspicionsRaised.sum()).sum();
    return new long[] {s1 - s0, deaths.get() - d0};
  }

  private static String loadAverage() {
    try {
      return new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc/loadavg")), StandardCharsets.UTF_8)
          .split(" ")[0];
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }
}
