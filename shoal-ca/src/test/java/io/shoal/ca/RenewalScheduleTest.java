package io.shoal.ca;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class RenewalScheduleTest {
  static long[] seeds() {
    // Fixed seeds plus one new each run; every assertion names its seed so a failure replays.
    long fresh = System.nanoTime();
    long[] s = new long[21];
    for (int i = 0; i < 20; i++) {
      s[i] = 1000 + i;
    }
    s[20] = fresh;
    return s;
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void renewalFallsBetweenHalfAndEightyPercentOfTheLife(long seed) {
    SplittableRandom gen = new SplittableRandom(seed);
    RenewalSchedule schedule = new RenewalSchedule(Fixtures.clock(), new SplittableRandom(seed ^ 0x5DEECE66DL));
    for (int i = 0; i < 500; i++) {
      Instant nb = Fixtures.NOW.minusSeconds(gen.nextLong(0, 10_000_000));
      Duration life = Duration.ofSeconds(gen.nextLong(3600, 200L * 86400));
      Instant na = nb.plus(life);
      Instant at = schedule.renewAt(nb, na);
      long offset = Duration.between(nb, at).toMillis();
      assertThat(offset).as("seed %d, iteration %d, life %s", seed, i, life)
          .isGreaterThanOrEqualTo((long) (life.toMillis() * 0.5))
          .isLessThan((long) (life.toMillis() * 0.8));
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void drawsSpreadAcrossTheWindow(long seed) {
    // 90-day certificates issued at once must not all renew at the same moment.
    RenewalSchedule schedule = new RenewalSchedule(Fixtures.clock(), new SplittableRandom(seed));
    Instant nb = Fixtures.NOW;
    Instant na = nb.plus(Duration.ofDays(90));
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (int i = 0; i < 1000; i++) {
      long t = schedule.renewAt(nb, na).toEpochMilli();
      min = Math.min(min, t);
      max = Math.max(max, t);
    }
    long window = Duration.ofDays(90).toMillis() * 3 / 10;
    assertThat(max - min).as("seed %d", seed).isGreaterThan(window * 9 / 10);
  }

  @Test
  void dueOnlyFromTheRenewalMoment() {
    Instant at = Fixtures.NOW.plusSeconds(60);
    RenewalSchedule before = new RenewalSchedule(Fixtures.clock(), new SplittableRandom(1));
    RenewalSchedule exactly = new RenewalSchedule(Fixtures.clockAt(at), new SplittableRandom(1));
    RenewalSchedule after = new RenewalSchedule(Fixtures.clockAt(at.plusSeconds(1)), new SplittableRandom(1));
    assertThat(before.isDue(at)).isFalse();
    assertThat(before.delayUntil(at)).isEqualTo(Duration.ofSeconds(60));
    assertThat(exactly.isDue(at)).isTrue();
    assertThat(after.isDue(at)).isTrue();
    assertThat(after.delayUntil(at)).isEqualTo(Duration.ZERO);
  }

  @Test
  void usesTheCertificatesOwnValidity() {
    RootCA ca = RootCA.create(Fixtures.clock(), Fixtures.secureRandom(31));
    NodeCredentials n = Fixtures.issue(ca, NodeRole.WORKER, "n1");
    RenewalSchedule s = new RenewalSchedule(Fixtures.clock(), new SplittableRandom(2));
    Instant at = s.renewAt(n.certificate());
    Duration life = Duration.between(n.notBefore(), n.notAfter());
    assertThat(at).isBetween(n.notBefore().plus(life.dividedBy(2)), n.notBefore().plus(life.multipliedBy(8).dividedBy(10)));
    assertThat(s.isDue(at)).isFalse();
    assertThat(new RenewalSchedule(Fixtures.clockAt(n.notAfter().plusSeconds(1)), new SplittableRandom(2)).isDue(at))
        .as("an expired certificate is due").isTrue();
  }

  @Test
  void degenerateValidityRenewsAtOnce() {
    RenewalSchedule s = new RenewalSchedule(Fixtures.clock(), new SplittableRandom(3));
    assertThat(s.renewAt(Fixtures.NOW, Fixtures.NOW)).isEqualTo(Fixtures.NOW);
    assertThat(s.renewAt(Fixtures.NOW, Fixtures.NOW.minusSeconds(5))).isEqualTo(Fixtures.NOW);
  }
}
