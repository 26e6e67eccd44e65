package io.shoal.agent.worker;

import io.shoal.agent.exec.ObservedTask;
import io.shoal.api.model.Task;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The worker's reconciliation as a pure function: from what the node is assigned, which tasks
 * already have a runner, and which task containers the executor found without a runner, it
 * computes what to start, update, stop and clean up.
 *
 * <p>Rule that keeps running containers safe while the manager is away: a container that belongs
 * to no assigned task is only removed when the assignment set is {@linkplain
 * WorkerState#authoritative() authoritative} (a full set came from a manager in this agent's
 * life). Assignments read back from disk keep what they list and touch nothing else.
 */
public final class Reconciler {
  private Reconciler() {}

  /**
   * What to do.
   *
   * @param create tasks assigned with no runner yet (with the adopted container if one exists)
   * @param update tasks with a runner whose assignment may have changed (desired state)
   * @param stop tasks with a runner that are no longer assigned: stop and remove
   * @param orphans containers of no assigned task, to remove (only when authoritative)
   */
  public record Plan(List<Create> create, List<Task> update, List<String> stop, List<ObservedTask> orphans) {
    public Plan {
      create = List.copyOf(create);
      update = List.copyOf(update);
      stop = List.copyOf(stop);
      orphans = List.copyOf(orphans);
    }

    public boolean isEmpty() {
      return create.isEmpty() && update.isEmpty() && stop.isEmpty() && orphans.isEmpty();
    }
  }

  /** A runner to make, adopting {@code existing} when the executor already has the task. */
  public record Create(Task task, ObservedTask existing) {}

  public static Plan plan(WorkerState state, Set<String> runners, Collection<ObservedTask> unowned) {
    List<Create> create = new ArrayList<>();
    List<Task> update = new ArrayList<>();
    List<String> stop = new ArrayList<>();
    List<ObservedTask> orphans = new ArrayList<>();
    Map<String, ObservedTask> found = new TreeMap<>();
    unowned.forEach(o -> found.put(o.taskId(), o));
    // sorted so that the plan, and so the order of side effects, is deterministic
    for (Task t : new TreeMap<>(state.tasks()).values()) {
      if (runners.contains(t.id())) {
        update.add(t);
      } else {
        create.add(new Create(t, found.get(t.id())));
      }
    }
    runners.stream().sorted().filter(id -> !state.tasks().containsKey(id)).forEach(stop::add);
    if (state.authoritative()) {
      found.values().stream()
          .filter(o -> !state.tasks().containsKey(o.taskId()) && !runners.contains(o.taskId()))
          .forEach(orphans::add);
    }
    return new Plan(create, update, stop, orphans);
  }
}
