package io.shoal.testkit.sim;

import org.junit.jupiter.api.Test;

/**
 * Reruns one seed, every scenario (or only {@code -Dshoal.sim.scenario=NAME}), printing each run's
 * trace hash: {@code mvn -o -pl shoal-testkit test -Dtest=SimReproTest -Dshoal.sim.seed=N}.
 */
class SimReproTest {
  @Test
  void rerunsTheGivenSeed() {
    long seed = Long.getLong("shoal.sim.seed", 42L);
    String only = System.getProperty("shoal.sim.scenario");
    for (Chaos.Scenario sc : Chaos.ALL) {
      if (only != null && !only.equals(sc.name())) continue;
      Chaos.Result r = Chaos.run(sc, seed);
      System.out.println("[sim] " + r);
    }
  }
}
