package io.shoal.gossip;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SuspicionTest {
  @Test
  void startsAtMaxAndShrinksToMinWithIndependentConfirmations() {
    Suspicion s = new Suspicion("a", 0, 1_000, 4_000, 3);
    assertThat(s.deadline()).isEqualTo(4_000);
    assertThat(s.confirm("a")).isFalse();
    assertThat(s.confirm("b")).isTrue();
    long one = s.deadline();
    assertThat(one).isLessThan(4_000).isGreaterThan(1_000);
    assertThat(s.confirm("b")).isFalse();
    assertThat(s.confirm("c")).isTrue();
    assertThat(s.deadline()).isLessThan(one);
    assertThat(s.confirm("d")).isTrue();
    assertThat(s.deadline()).isEqualTo(1_000);
    assertThat(s.confirm("e")).isFalse();
  }

  @Test
  void withoutExpectedConfirmationsTheMinimumApplies() {
    assertThat(new Suspicion("a", 100, 1_000, 4_000, 0).deadline()).isEqualTo(1_100);
  }
}
