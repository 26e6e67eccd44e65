package io.shoal.manager.allocator;

import io.shoal.api.model.Service;
import io.shoal.api.model.Task;
import io.shoal.api.model.TaskState;
import io.shoal.api.model.TaskStatus;
import io.shoal.manager.Component;
import io.shoal.manager.PlanCommitter;
import io.shoal.manager.orchestrator.Plan;
import io.shoal.store.MemoryStore;
import io.shoal.store.StoreEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Moves new tasks to PENDING once their network resources are settled: each task carries its
 * service's endpoint (published ports) as allocated by the control API. Overlay addresses join
 * here when the data path does.
 */
public final class Allocator extends Component {
  private final Clock clock;

  public Allocator(MemoryStore store, Clock clock) {
    super("allocator", store, Duration.ofSeconds(5), e -> e.subject() instanceof Task);
    this.clock = clock;
  }

  @Override
  protected void reconcile(List<StoreEvent> events, boolean full) {
    Plan plan = store.view(tx -> {
      Plan p = new Plan();
      List<Task> candidates = full ? tx.tasks() : events.stream()
          .filter(e -> e instanceof StoreEvent.Created || e instanceof StoreEvent.Updated)
          .map(e -> tx.task(e.subject().id())).filter(Objects::nonNull).toList();
      for (Task t : candidates) {
        if (t.state() != TaskState.NEW) continue;
        Service s = tx.service(t.serviceID());
        if (s == null) continue;
        p.update(t.withEndpoint(s.endpoint())
            .withStatus(TaskStatus.of(TaskState.PENDING, "pending task scheduling", clock.instant())));
      }
      return p;
    });
    PlanCommitter.commit(store, plan);
  }
}
