package io.shoal.gossip;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.gossip.sim.SimNetwork;
import io.shoal.gossip.sim.SimNetwork.SimMember;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * T2: the real protocol on a seeded simulated network with loss, delay, partitions, crashes and
 * a slow host. Invariants: every live member eventually sees every record (and no deleted one);
 * no live member is confirmed dead by a member of its own majority side. Every failure message
 * carries the seed that replays it.
 */
class GossipSimulationTest {
  private static final Keyring KEYS = Keyring.of(new GossipKey(1, new byte[32]));
  private static final String TABLE = EndpointRecord.TABLE;

  /** Records every DEAD verdict and whether it was false (subject up and on the observer's majority side). */
  private static final class Verdicts {
    final List<String> falseDeaths = new ArrayList<>();
    final Map<String, Long> firstDeadAt = new HashMap<>();

    void watch(SimNetwork net, SimMember observer) {
      observer.node.addListener(new GossipListener() {
        @Override
        public void memberChanged(MemberInfo m) {
          if (m.state() != MemberState.DEAD) return;
          SimMember subject = net.members().stream().filter(s -> s.id.equals(m.id())).findFirst().orElseThrow();
          firstDeadAt.merge(observer.id + ">" + m.id(), net.now(), Math::min);
          if (subject.up() && net.canReach(observer, subject) && onMajoritySide(net, subject)) {
            falseDeaths.add(observer.id + " confirmed " + m.id() + " dead at " + net.now());
          }
        }
      });
    }

    static boolean onMajoritySide(SimNetwork net, SimMember s) {
      long side = net.members().stream().filter(o -> o.up() && net.canReach(s, o)).count();
      return side * 2 > net.members().size();
    }
  }

  private static SimNetwork cluster(long seed, int n, GossipConfig config, Verdicts verdicts) {
    SimNetwork net = new SimNetwork(seed);
    for (int i = 0; i < n; i++) net.add("node-" + i, config, KEYS);
    for (SimMember m : net.members()) if (verdicts != null) verdicts.watch(net, m);
    String seedAddress = net.members().get(0).address;
    for (SimMember m : net.members()) net.on(m, node -> node.join(List.of(seedAddress)));
    return net;
  }

  private static GossipConfig config() {
    return GossipConfig.lan().withPushPullInterval(Duration.ofSeconds(10)).withReconnectInterval(Duration.ofSeconds(5))
        .withRetention(Duration.ofMinutes(5), Duration.ofMinutes(5));
  }

  private static Map<String, String> visible(SimMember m) {
    Map<String, String> out = new TreeMap<>();
    for (GossipRecord r : m.node.records(TABLE)) out.put(r.key(), new String(r.value(), StandardCharsets.UTF_8));
    return out;
  }

  private static void assertEveryoneSees(SimNetwork net, Map<String, String> expected, long seed) {
    for (SimMember m : net.members()) {
      if (!m.up()) continue;
      assertThat(visible(m)).as("seed %d: records seen by %s", seed, m.id).isEqualTo(expected);
    }
  }

  /** Runs until every live member sees every other live one ALIVE (suspicions are transient), or fails. */
  private static void awaitEveryoneAlive(SimNetwork net, long seed, long withinMillis) {
    long deadline = net.now() + withinMillis;
    while (net.now() < deadline && !everyoneAlive(net)) net.runFor(100);
    assertEveryoneAlive(net, seed);
  }

  private static boolean everyoneAlive(SimNetwork net) {
    for (SimMember m : net.members()) {
      if (!m.up()) continue;
      for (SimMember o : net.members()) {
        if (!o.up()) continue;
        MemberInfo info = m.node.member(o.id);
        if (info == null || info.state() != MemberState.ALIVE) return false;
      }
    }
    return true;
  }

  private static void assertEveryoneAlive(SimNetwork net, long seed) {
    for (SimMember m : net.members()) {
      if (!m.up()) continue;
      for (SimMember o : net.members()) {
        if (!o.up()) continue;
        MemberInfo info = m.node.member(o.id);
        assertThat(info).as("seed %d: %s knows %s", seed, m.id, o.id).isNotNull();
        assertThat(info.state()).as("seed %d: %s's view of %s", seed, m.id, o.id).isEqualTo(MemberState.ALIVE);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 42, 20261207})
  void recordsReachEveryoneUnderLossAndDelay(long seed) {
    Verdicts verdicts = new Verdicts();
    SimNetwork net = cluster(seed, 30, config(), verdicts);
    net.setLoss(0.10);
    net.setDelay(1, 40);
    awaitEveryoneAlive(net, seed, 30_000);

    SplittableRandom rnd = new SplittableRandom(seed);
    Map<String, String> expected = new TreeMap<>();
    for (int i = 0; i < 40; i++) {
      SimMember owner = net.members().get(rnd.nextInt(net.members().size()));
      String key = "net-" + (i % 3) + "/task-" + i;
      String value = "10.0." + (i % 3) + "." + (i + 2);
      net.on(owner, node -> node.publish(TABLE, key, value.getBytes(StandardCharsets.UTF_8)));
      expected.put(key, value);
      if (i % 5 == 4) {
        net.on(owner, node -> node.delete(TABLE, key));
        expected.remove(key);
      }
      net.runFor(rnd.nextLong(300));
    }
    net.runFor(20_000);
    assertEveryoneSees(net, expected, seed);
    assertThat(verdicts.falseDeaths).as("seed %d: false deaths", seed).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(longs = {7, 8, 9})
  void partitionHealsAndNoMajorityMemberIsConfirmedDead(long seed) {
    Verdicts verdicts = new Verdicts();
    SimNetwork net = cluster(seed, 25, config(), verdicts);
    net.setLoss(0.05);
    net.setDelay(1, 20);
    awaitEveryoneAlive(net, seed, 30_000);

    Map<String, Integer> groups = new HashMap<>();
    for (int i = 15; i < 25; i++) groups.put("node-" + i, 1);
    net.partition(groups);
    Map<String, String> expected = new TreeMap<>();
    for (int i = 0; i < 25; i += 3) {
      SimMember owner = net.members().get(i);
      String key = "net/task-" + i;
      net.on(owner, node -> node.publish(TABLE, key, ("v" + key).getBytes(StandardCharsets.UTF_8)));
      expected.put(key, "v" + key);
    }
    net.runFor(20_000);
    // each side has confirmed the other dead (their records hidden), and kept its own alive
    SimMember majority = net.members().get(0);
    assertThat(majority.node.member("node-20").state()).as("seed %d", seed).isEqualTo(MemberState.DEAD);
    assertThat(visible(majority)).as("seed %d", seed).doesNotContainKey("net/task-15");

    net.heal();
    awaitEveryoneAlive(net, seed, 40_000);
    assertEveryoneSees(net, expected, seed);
    assertThat(verdicts.falseDeaths).as("seed %d: false deaths", seed).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(longs = {11, 12, 13})
  void crashedMemberIsConfirmedDeadEverywhereAndItsRecordsGo(long seed) {
    Verdicts verdicts = new Verdicts();
    SimNetwork net = cluster(seed, 20, config(), verdicts);
    net.setLoss(0.02);
    net.setDelay(1, 5);
    net.runFor(5_000);
    SimMember victim = net.members().get(7);
    net.on(victim, node -> node.publish(TABLE, "net/task-victim", "10.0.0.9".getBytes(StandardCharsets.UTF_8)));
    net.runFor(3_000);
    assertThat(visible(net.members().get(3))).containsKey("net/task-victim");

    long crashedAt = net.now();
    net.crash(victim);
    net.runFor(15_000);
    for (SimMember m : net.members()) {
      if (m == victim) continue;
      assertThat(m.node.member(victim.id).state()).as("seed %d: %s's view of the crashed member", seed, m.id)
          .isEqualTo(MemberState.DEAD);
      assertThat(visible(m)).as("seed %d", seed).doesNotContainKey("net/task-victim");
    }
    long firstVerdict = verdicts.firstDeadAt.entrySet().stream().filter(e -> e.getKey().endsWith(">" + victim.id))
        .mapToLong(Map.Entry::getValue).min().orElseThrow();
    assertThat(firstVerdict - crashedAt).as("seed %d: first confirmation after the crash (ms)", seed).isLessThan(8_000);
    assertThat(verdicts.falseDeaths).as("seed %d: false deaths", seed).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(longs = {21, 22, 23})
  void slowMemberDoesNotGetHealthyOnesConfirmedDead(long seed) {
    Verdicts verdicts = new Verdicts();
    SimNetwork net = cluster(seed, 15, config(), verdicts);
    net.setLoss(0.01);
    net.setDelay(1, 5);
    net.runFor(5_000);
    SimMember slow = net.members().get(4);
    // its packets and timers run 600 ms late: longer than a probe timeout, shorter than an interval x2
    net.slow(slow, 600);
    net.runFor(60_000);
    List<String> healthyFalse = verdicts.falseDeaths.stream().filter(s -> !s.contains(" confirmed " + slow.id + " "))
        .toList();
    assertThat(healthyFalse).as("seed %d: healthy members confirmed dead", seed).isEmpty();
    assertThat(slow.node.localHealth()).as("seed %d: the slow member knows it is slow", seed).isPositive();
  }
}
