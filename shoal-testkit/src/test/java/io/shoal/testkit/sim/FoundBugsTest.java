package io.shoal.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.model.Cluster;
import io.shoal.api.model.Ids;
import io.shoal.api.model.Node;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Regression seeds: runs on which the simulation found bugs in shoal-manager's orchestrator and
 * dispatcher cores (a soak over seeds 100-399 of every scenario; the fixed seeds of {@link
 * SimulationTest} did not hit them). Each must now run clean.
 *
 * <p>1. <b>Stop-first slot runs two tasks</b> (worker-churn 215, 229, 300; mixed 221, 258, 274). Two
 * updates within one round trip left two tasks of a slot desired READY; {@code
 * ReplicatedPlanner.promote} skipped each as "also waiting" for the other and promoted both. Fixed:
 * only the newest waiting task of a slot may run, older waiting ones are shut down.
 *
 * <p>2. <b>Start-first slot keeps old generations running</b> (mixed 163, 178, 316; worker-churn 147,
 * 212, 362). A second update before the first one's new task replaced its old one left both out of
 * date, and UpdatePlanner stopped out-of-date tasks only once one with the current spec ran. Fixed:
 * once a task of a slot runs, older out-of-date tasks of the slot are shut down.
 *
 * <p>3. <b>A global service never came back to a node drained while down</b> (drain-global 6, 16,
 * 18). The node returned and reported its task FAILED (the container was gone); GlobalPlanner read
 * that as the restart policy having given up. Fixed: the policy is asked, as of when the task ended.
 *
 * <p>4. <b>Lowering the heartbeat period marked every node DOWN</b>: deadlines used the cluster's new
 * period while agents still beat at the old one. Fixed: each session's deadline follows the period
 * that agent was last told (DispatcherService and the model alike).
 */
class FoundBugsTest {
  @ParameterizedTest(name = "{0} seed {1}")
  @CsvSource({
      "worker-churn, 229", "worker-churn, 215", "worker-churn, 300", "mixed, 221", "mixed, 258", "mixed, 274",
      "mixed, 178", "mixed, 163", "mixed, 316", "worker-churn, 147", "worker-churn, 212", "worker-churn, 362",
      "drain-global, 6", "drain-global, 16", "drain-global, 18",
  })
  void runsClean(String scenario, long seed) {
    Chaos.run(Chaos.named(scenario), seed);
  }

  @Test
  void loweringTheHeartbeatKeepsNodesReady() {
    SimCluster c = new SimCluster(1, 3, 4);
    c.runFor(8000);
    Cluster.SwarmSpec d = Cluster.SwarmSpec.defaults();
    String id = Ids.newId(c.sim().random());
    c.leader().write("swarm init", s -> {
      s.update(tx -> tx.create(new Cluster(id, null, null, null, d, null, null, null, null, null, null, null)));
      return null;
    });
    c.runFor(12_000);
    SimManager leader = c.leader();
    leader.write("swarm update --dispatcher-heartbeat 1s", s -> {
      s.update(tx -> tx.update(tx.cluster().withSpec(new Cluster.SwarmSpec(d.name(), d.labels(), d.orchestration(),
          d.raft(), new Cluster.Dispatcher(1_000_000_000L), d.caConfig(), null, null))));
      return null;
    });
    c.runFor(1500);
    List<String> down = leader.store().view(tx -> tx.nodes().stream().filter(n -> !n.isReady()).map(Node::id).toList());
    assertThat(down).as("seed 1: nodes marked down after the heartbeat went from 5 s to 1 s").isEmpty();
  }
}
