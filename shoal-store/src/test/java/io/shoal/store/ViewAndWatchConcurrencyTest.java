package io.shoal.store;

import static io.shoal.store.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.model.Task;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** viewAndWatch under a concurrent writer: the read plus the events after it are exactly the end state. */
class ViewAndWatchConcurrencyTest {
  @Test
  void nothingMissedNothingSeenTwice() throws Exception {
    for (int trial = 0; trial < 20; trial++) {
      MemoryStore store = store();
      int n = 400;
      Thread writer = new Thread(() -> {
        for (int i = 0; i < n; i++) {
          int k = i;
          store.update(tx -> tx.create(task("t" + k, "s1", k, null)));
        }
      });
      writer.start();
      MemoryStore.Watched<List<Task>> w = store.viewAndWatch(tx -> tx.tasks(), e -> e.subject() instanceof Task);
      writer.join(30_000);
      Set<String> seen = new HashSet<>();
      for (Task t : w.value()) assertThat(seen.add(t.id())).isTrue();
      for (StoreEvent e : w.watch().drain()) {
        if (e instanceof StoreEvent.Created c) assertThat(seen.add(c.object().id())).as("seen twice: " + c.object().id()).isTrue();
      }
      assertThat(seen).hasSize(n);
    }
  }
}
