package io.shoal.manager;

import io.shoal.api.model.StoreObject;
import io.shoal.api.model.Task;
import io.shoal.manager.orchestrator.Plan;
import io.shoal.store.MemoryStore;

/**
 * Commits a {@link Plan} in bounded batches. A write whose object changed since the plan read it
 * is skipped, not forced: the change that beat it triggers a new round, which plans again from
 * the newer state. Returns how many writes went in.
 */
public final class PlanCommitter {
  private PlanCommitter() {}

  public static int commit(MemoryStore store, Plan plan) {
    if (plan.isEmpty()) return 0;
    int[] written = {0};
    store.batch(b -> {
      for (Task t : plan.creates) {
        b.update(tx -> {
          tx.create(t);
          written[0]++;
        });
      }
      for (StoreObject o : plan.updates) {
        b.update(tx -> {
          StoreObject cur = tx.get(o.kind(), o.id());
          if (cur != null && cur.version().index() == o.version().index()) {
            tx.update(o);
            written[0]++;
          }
        });
      }
      for (Task t : plan.deletes) {
        b.update(tx -> {
          StoreObject cur = tx.get(t.kind(), t.id());
          if (cur != null && cur.version().index() == t.version().index()) {
            tx.delete(t.kind(), t.id());
            written[0]++;
          }
        });
      }
    });
    return written[0];
  }
}
