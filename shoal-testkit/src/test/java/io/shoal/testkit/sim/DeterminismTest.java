package io.shoal.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Same seed, same run: every event and note hashes alike; another seed makes another run. */
class DeterminismTest {
  static java.util.List<Chaos.Scenario> scenarios() {
    return Chaos.ALL;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void aSeedFixesTheWholeRun(Chaos.Scenario sc) {
    Chaos.Result a = Chaos.run(sc, 5);
    Chaos.Result b = Chaos.run(sc, 5);
    assertThat(b).as("seed 5 rerun").isEqualTo(a);
    assertThat(Chaos.run(sc, 6).traceHash()).as("seed 6").isNotEqualTo(a.traceHash());
  }
}
