package io.shoal.store;

import static io.shoal.store.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.model.StoreObject;
import io.shoal.api.model.Task;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random transactions of task creates, moves and deletes, checked against a plain map: inside
 * the transaction (reads see its own writes, through every index) and after it (commit, batch).
 * Seeded: a failure names its seed.
 */
class OverlayPropertyTest {
  static LongStream seeds() {
    long base = new SplittableRandom().nextLong();
    return LongStream.range(0, 25).map(i -> base + i);
  }

  static final String[] SERVICES = {"s1", "s2", "s3"};
  static final String[] NODES = {"n1", "n2", "n3", null};

  @ParameterizedTest
  @MethodSource("seeds")
  void transactionsAgreeWithAModel(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    MemoryStore store = store();
    Map<String, Task> model = new HashMap<>();
    int next = 0;
    for (int round = 0; round < 30; round++) {
      Map<String, Task> m = new HashMap<>(model);
      int[] counter = {next};
      boolean batch = r.nextBoolean();
      List<java.util.function.Consumer<WriteTx>> ops = new ArrayList<>();
      int n = 1 + r.nextInt(8);
      for (int i = 0; i < n; i++) {
        int kind = r.nextInt(3);
        String svc = SERVICES[r.nextInt(SERVICES.length)];
        String node = NODES[r.nextInt(NODES.length)];
        long pick = r.nextLong();
        ops.add(tx -> {
          List<String> ids = new ArrayList<>(new TreeSet<>(m.keySet()));
          if (kind == 0 || ids.isEmpty()) {
            String id = "t" + counter[0]++;
            Task t = task(id, svc, 1, node);
            tx.create(t);
            m.put(id, t);
          } else if (kind == 1) {
            String id = ids.get((int) Math.floorMod(pick, (long) ids.size()));
            Task cur = tx.task(id);
            Task moved = new Task(cur.id(), cur.version(), cur.createdAt(), cur.updatedAt(), cur.name(), cur.labels(),
                cur.spec(), svc, cur.slot(), node, cur.status(), cur.desiredState(), cur.specVersion(), null, null);
            tx.update(moved);
            m.put(id, moved);
          } else {
            String id = ids.get((int) Math.floorMod(pick, (long) ids.size()));
            tx.delete(StoreObject.Kind.TASK, id);
            m.remove(id);
          }
          check(tx, m, seed);
        });
      }
      if (batch) {
        store.batch(b -> {
          for (var op : ops) b.update(op::accept);
        });
      } else {
        store.update(tx -> {
          for (var op : ops) op.accept(tx);
        });
      }
      next = counter[0];
      model = m;
      store.view(tx -> {
        check(tx, m, seed);
        return null;
      });
    }
  }

  static void check(ReadTx tx, Map<String, Task> m, long seed) {
    assertThat(ids(tx.tasks())).as("all, seed " + seed).isEqualTo(new TreeSet<>(m.keySet()));
    for (String s : SERVICES) {
      TreeSet<String> want = new TreeSet<>();
      m.values().stream().filter(t -> s.equals(t.serviceID())).forEach(t -> want.add(t.id()));
      assertThat(ids(tx.tasksOfService(s))).as("service " + s + ", seed " + seed).isEqualTo(want);
    }
    for (String node : NODES) {
      if (node == null) continue;
      TreeSet<String> want = new TreeSet<>();
      m.values().stream().filter(t -> node.equals(t.nodeID())).forEach(t -> want.add(t.id()));
      List<Task> got = tx.tasksOfNode(node);
      assertThat(got).as("no duplicates, seed " + seed).doesNotHaveDuplicates();
      assertThat(ids(got)).as("node " + node + ", seed " + seed).isEqualTo(want);
    }
    for (Task t : m.values()) assertThat(tx.task(t.id()).nodeID()).as("seed " + seed).isEqualTo(t.nodeID());
  }

  static TreeSet<String> ids(List<Task> l) {
    TreeSet<String> s = new TreeSet<>();
    l.forEach(t -> s.add(t.id()));
    return s;
  }
}
