package io.shoal.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The invariants are only worth something if they fire: with a deliberate bug switched on, some
 * seed among the first few must fail, with the invariant that guards against that bug.
 */
class MutationTest {
  @ParameterizedTest(name = "{0} is caught")
  @CsvSource(delimiter = '|', value = {
      "VOTE_WITHOUT_LOG_CHECK | manager-failover | acknowledged",
      "STATUS_BACKWARDS       | worker-churn     | went back",
      "AGENT_IGNORES_SHUTDOWN | worker-churn     | still runs unwanted task",
  })
  void aDeliberateBugBreaksAnInvariant(Mutation bug, String scenario, String expected) {
    Chaos.Scenario sc = Chaos.named(scenario);
    SimFailure caught = null;
    for (long seed = 1; seed <= 12 && caught == null; seed++) {
      try {
        Chaos.run(sc, seed, EnumSet.of(bug));
      } catch (SimFailure f) {
        caught = f;
      }
    }
    assertThat(caught).as("no seed caught %s", bug).isNotNull();
    assertThat(caught.getMessage()).contains(expected).contains("rerun with -Dshoal.sim.seed=");
  }
}
