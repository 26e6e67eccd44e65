package io.shoal.manager.scheduler;

import io.shoal.api.model.Node;
import io.shoal.api.model.Task;
import io.shoal.api.model.TaskState;
import io.shoal.manager.Component;
import io.shoal.manager.PlanCommitter;
import io.shoal.manager.orchestrator.Plan;
import io.shoal.store.MemoryStore;
import io.shoal.store.StoreEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The leader's scheduler shell: on task or node changes, places every PENDING task with
 * {@link SchedulerCore} and commits the assignments. Unplaceable tasks are retried on every
 * change and every 5 s.
 */
public final class Scheduler extends Component {
  private final Clock clock;

  public Scheduler(MemoryStore store, Clock clock) {
    super("scheduler", store, Duration.ofSeconds(5), e -> e.subject() instanceof Task || e.subject() instanceof Node);
    this.clock = clock;
  }

  @Override
  protected void reconcile(List<StoreEvent> events, boolean full) {
    if (!full && events.stream().noneMatch(Scheduler::matters)) return;
    // copy in the view, place outside it: a long read blocks raft's apply and every reader behind it
    record Snapshot(List<Task> tasks, List<Node> nodes) {}
    Snapshot snap = store.view(tx -> new Snapshot(tx.tasks(), tx.nodes()));
    Plan plan = SchedulerCore.scheduleAll(snap.tasks(), snap.nodes(), clock.instant());
    if (plan.isEmpty()) return;
    PlanCommitter.commit(store, plan);
  }

  /** A task that became PENDING, or any node change, may make a placement possible. */
  private static boolean matters(StoreEvent e) {
    if (e.subject() instanceof Node) return true;
    if (e.subject() instanceof Task t) return t.state() == TaskState.PENDING || t.state().terminal() || e instanceof StoreEvent.Deleted;
    return false;
  }
}
