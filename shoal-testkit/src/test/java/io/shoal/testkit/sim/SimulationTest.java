package io.shoal.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * T2: every scenario over a fixed set of seeds. A failure names its seed; rerun it alone with
 * {@code mvn -pl shoal-testkit test -Dtest=SimReproTest -Dshoal.sim.seed=N}.
 */
class SimulationTest {
  static final int SEEDS = 20;

  static Stream<Arguments> runs() {
    return Chaos.ALL.stream().flatMap(sc -> LongStream.rangeClosed(1, SEEDS).mapToObj(seed -> Arguments.of(sc, seed)));
  }

  @ParameterizedTest(name = "{0} seed {1}")
  @MethodSource("runs")
  void invariantsHoldAndTheClusterConverges(Chaos.Scenario sc, long seed) {
    Chaos.Result r = Chaos.run(sc, seed);
    assertThat(r.acknowledged()).as("seed %d: writes were acknowledged", seed).isPositive();
    assertThat(r.userOk()).as("seed %d: some user actions succeeded", seed).isPositive();
  }
}
