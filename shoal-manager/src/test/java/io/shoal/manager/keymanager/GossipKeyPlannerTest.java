package io.shoal.manager.keymanager;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.model.GossipKeyRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GossipKeyPlannerTest {
  private static final Instant T0 = Instant.parse("2026-12-07T00:00:00Z");

  @Test
  void aSwarmWithoutKeysGetsTwoDistinctOnes() {
    List<GossipKeyRecord> keys = GossipKeyPlanner.plan(null, T0, new SplittableRandom(1)).orElseThrow();
    assertThat(keys).extracting(GossipKeyRecord::lamportTime).containsExactly(1L, 2L);
    assertThat(Base64.getDecoder().decode(keys.get(0).key())).hasSize(32);
    assertThat(keys.get(0).key()).isNotEqualTo(keys.get(1).key());
  }

  @Test
  void rotatesEveryTwelveHoursKeepingThree() {
    SplittableRandom random = new SplittableRandom(2);
    List<GossipKeyRecord> keys = GossipKeyPlanner.plan(List.of(), T0, random).orElseThrow();
    assertThat(GossipKeyPlanner.plan(keys, T0.plus(Duration.ofHours(11)), random)).isEmpty();
    keys = GossipKeyPlanner.plan(keys, T0.plus(Duration.ofHours(12)), random).orElseThrow();
    assertThat(keys).extracting(GossipKeyRecord::lamportTime).containsExactly(1L, 2L, 3L);
    keys = GossipKeyPlanner.plan(keys, T0.plus(Duration.ofHours(24)), random).orElseThrow();
    assertThat(keys).extracting(GossipKeyRecord::lamportTime).containsExactly(2L, 3L, 4L);
  }

  @Test
  void keysNeverPrintTheirMaterial() {
    GossipKeyRecord k = GossipKeyPlanner.plan(null, T0, new SplittableRandom(3)).orElseThrow().get(0);
    assertThat(k.toString()).doesNotContain(k.key());
  }
}
