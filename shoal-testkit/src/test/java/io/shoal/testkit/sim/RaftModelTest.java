package io.shoal.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.model.Ids;
import io.shoal.api.model.Node;
import io.shoal.api.model.StoreObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SimRaft on its own (five managers, no agents): writes through random managers while members
 * crash, restart and get partitioned; the per-step invariants run throughout. Afterwards every
 * manager holds the same log and store, and every acknowledged write is in every store.
 */
class RaftModelTest {
  static LongStream seeds() {
    return LongStream.rangeClosed(1, 100);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void acknowledgedWritesSurviveCrashesAndPartitions(long seed) {
    SimCluster c = new SimCluster(seed, 5, 0);
    Sim sim = c.sim();
    List<String> acknowledged = new ArrayList<>();
    for (int round = 0; round < 60; round++) {
      SimManager m = c.manager(sim.random().nextInt(5));
      String id = Ids.newId(sim.random());
      Node n = new Node(id, null, null, null, new Node.NodeSpec(null, Map.of(), "worker", Node.NodeSpec.ACTIVE), null, null, null);
      m.write("create " + id, s -> {
        s.update(tx -> tx.create(n));
        return null;
      }).ack().thenRun(() -> acknowledged.add(id));
      int fault = sim.random().nextInt(10);
      SimManager victim = c.manager(sim.random().nextInt(5));
      if (fault == 0 && victim.isUp()) victim.crash();
      else if (fault == 1 && !victim.isUp()) victim.restart();
      else if (fault == 2) c.network().setGroup(victim.id(), 1);
      else if (fault == 3) c.network().heal();
      c.runFor(sim.between(100, 3000));
    }
    c.healAll();
    c.runFor(15_000);
    c.invariants().checkReplay();
    assertThat(acknowledged).as("seed %d: some writes were acknowledged", seed).isNotEmpty();
    long commit = c.manager(0).raft().commitIndex();
    for (SimManager m : c.managers()) {
      assertThat(m.raft().commitIndex()).as("seed %d: %s caught up", seed, m.id()).isEqualTo(commit);
      for (String id : acknowledged) {
        StoreObject o = m.store().view(tx -> tx.get(StoreObject.Kind.NODE, id));
        assertThat(o).as("seed %d: %s on %s", seed, id, m.id()).isNotNull();
      }
    }
  }
}
