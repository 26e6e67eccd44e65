package io.shoal.daemon.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RenewalBackoffTest {
  @Test
  void doublesFromOneSecondUpToTwoMinutes() {
    assertThat(RenewalBackoff.delay(1, 0.5)).isEqualTo(Duration.ofSeconds(1));
    assertThat(RenewalBackoff.delay(2, 0.5)).isEqualTo(Duration.ofSeconds(2));
    assertThat(RenewalBackoff.delay(5, 0.5)).isEqualTo(Duration.ofSeconds(16));
    assertThat(RenewalBackoff.delay(8, 0.5)).isEqualTo(Duration.ofMinutes(2));
    assertThat(RenewalBackoff.delay(1_000, 0.5)).as("no overflow").isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void spreadsByTwentyPercent() {
    assertThat(RenewalBackoff.delay(8, 0.0)).isEqualTo(Duration.ofSeconds(96));
    assertThat(RenewalBackoff.delay(8, 0.999_999)).isBetween(Duration.ofSeconds(143), Duration.ofSeconds(144));
  }

  @Test
  void badArgumentsAreRefused() {
    assertThatThrownBy(() -> RenewalBackoff.delay(0, 0.5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RenewalBackoff.delay(1, 1.0)).isInstanceOf(IllegalArgumentException.class);
  }
}
