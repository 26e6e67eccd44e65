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
import java.util.ArrayList;
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
    List<Task> pending = new ArrayList<>();
    List<Task> placed = new ArrayList<>();
    for (Task t : snap.tasks()) {
      boolean wanted = t.desiredState().compareTo(TaskState.RUNNING) <= 0;
      if (t.state() == TaskState.PENDING && wanted) pending.add(t);
      else if (wanted && t.state().atLeast(TaskState.ASSIGNED) && !t.state().terminal()) placed.add(t);
    }
    if (pending.isEmpty()) return;
    Plan plan = SchedulerCore.schedule(pending, snap.nodes(), placed, clock.instant());
    PlanCommitter.commit(store, plan);
  }

  /** A task that became PENDING, or any node change, may make a placement possible. */
  private static boolean matters(StoreEvent e) {
    if (e.subject() instanceof Node) return true;
    if (e.subject() instanceof Task t) return t.state() == TaskState.PENDING || t.state().terminal() || e instanceof StoreEvent.Deleted;
    return false;
  }
}
