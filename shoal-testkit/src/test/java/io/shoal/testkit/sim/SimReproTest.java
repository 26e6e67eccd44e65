package io.shoal.testkit.sim;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Reruns one seed, every scenario (or only {@code -Dshoal.sim.scenario=NAME}), printing each run's
 * result and trace hash:
 * <pre>
 * mvn -o -pl shoal-testkit test -Dtest=SimReproTest -Dshoal.sim.seed=N [-Dshoal.sim.verbose=true]
 * </pre>
 * For a longer hunt, {@code -Dshoal.sim.seeds=1000-1999} runs a range and reports every seed that
 * fails (the first failure is rethrown at the end).
 */
class SimReproTest {
  @Test
  void rerunsTheGivenSeed() {
    String range = System.getProperty("shoal.sim.seeds");
    long from = Long.getLong("shoal.sim.seed", 42L);
    long to = from;
    if (range != null) {
      String[] p = range.split("-");
      from = Long.parseLong(p[0].trim());
      to = Long.parseLong(p[1].trim());
    }
    String only = System.getProperty("shoal.sim.scenario");
    List<SimFailure> failures = new ArrayList<>();
    List<Chaos.Scenario> scenarios = only == null ? Chaos.ALL : List.of(Chaos.named(only));
    for (long seed = from; seed <= to; seed++) {
      for (Chaos.Scenario sc : scenarios) {
        try {
          Chaos.Result r = Chaos.run(sc, seed);
          if (range == null) System.out.println("[sim] " + r);
        } catch (SimFailure f) {
          System.out.println("[sim] FAILED " + sc.name() + " seed " + seed + ": " + f.getMessage().lines().findFirst().orElse(""));
          failures.add(f);
        }
      }
    }
    if (range != null) System.out.println("[sim] seeds " + from + "-" + to + ": " + failures.size() + " failed");
    if (!failures.isEmpty()) throw failures.get(0);
  }
}
