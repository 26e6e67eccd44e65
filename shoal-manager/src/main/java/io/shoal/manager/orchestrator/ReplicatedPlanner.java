package io.shoal.manager.orchestrator;

import io.shoal.api.model.Node;
import io.shoal.api.model.Service;
import io.shoal.api.model.Task;
import io.shoal.api.model.TaskState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Desired tasks of a replicated service, pure: keeps exactly {@code replicas} slots occupied.
 *
 * <p>A slot is occupied while it has an active task (desired READY/RUNNING), or when its newest
 * task ended and the restart policy says it stays ended. A task that ended, or whose node is lost
 * (down, drained, removed), is told to shut down and, if the policy allows, replaced in the same
 * slot by a task desired READY; {@link #promote} lets that replacement run once its restart delay
 * has passed and the old task has stopped (so stop-first really stops first). Scale-down removes
 * the highest slots, desired REMOVE, and the reaper deletes them once stopped.
 */
public final class ReplicatedPlanner {
  private final TaskFactory factory;

  public ReplicatedPlanner(TaskFactory factory) {
    this.factory = factory;
  }

  public Plan plan(Service s, List<Task> tasks, Map<String, Node> nodes, Instant now) {
    Plan plan = new Plan();
    Map<String, List<Task>> slots = Slots.group(tasks, false);
    Map<Long, Boolean> occupied = new TreeMap<>();
    for (Map.Entry<String, List<Task>> e : slots.entrySet()) {
      long slot = Long.parseLong(e.getKey());
      List<Task> history = e.getValue();
      // a slot runs one task: replace at most once, and only when none of its tasks still runs
      boolean alive = history.stream().anyMatch(t -> Slots.active(t) && !endedOrLost(t, nodes));
      Task ended = null;
      for (Task t : history) {
        if (!Slots.active(t) || !endedOrLost(t, nodes)) continue;
        plan.update(t.withDesiredState(TaskState.SHUTDOWN));
        if (ended == null) ended = t; // newest first
      }
      if (!alive && ended != null && RestartDecider.shouldRestart(ended, history, now)) {
        plan.create(factory.newTask(s, slot, null, TaskState.READY, now));
        alive = true;
      }
      if (!alive && !history.isEmpty() && !history.get(0).desiredState().atLeast(TaskState.REMOVE)) {
        Task newest = history.get(0);
        // ended by itself and not replaced: ended for good by policy, decided when it ended (not
        // re-judged as the window slides). The slot stays taken so the task is not re-created.
        // A task lost with its node is not "ended": its slot is filled again elsewhere.
        if (RestartDecider.endedOnItsOwn(newest)) alive = true;
      }
      if (alive) occupied.put(slot, true);
    }
    long want = s.spec().modeOrDefault().replicaCount();
    long have = occupied.size();
    if (have < want) {
      long slot = 1;
      for (long n = have; n < want; n++) {
        while (occupied.containsKey(slot)) slot++;
        occupied.put(slot, true);
        plan.create(factory.newTask(s, slot, null, TaskState.RUNNING, now));
      }
    } else if (have > want) {
      List<Long> victims = new ArrayList<>(occupied.keySet());
      victims.sort((a, b) -> Long.compare(b, a));
      for (Long slot : victims.subList(0, (int) (have - want))) {
        for (Task t : slots.getOrDefault(String.valueOf(slot), List.of())) {
          if (t.desiredState().compareTo(TaskState.REMOVE) < 0) plan.update(without(plan, t).withDesiredState(TaskState.REMOVE));
        }
        plan.creates.removeIf(c -> c.slot() == slot);
      }
    }
    return plan;
  }

  /** If the plan already changed {@code t}, continue from that change (a task is written once). */
  static Task without(Plan plan, Task t) {
    for (int i = 0; i < plan.updates.size(); i++) {
      if (plan.updates.get(i) instanceof Task u && u.id().equals(t.id())) {
        plan.updates.remove(i);
        return u;
      }
    }
    return t;
  }

  static boolean endedOrLost(Task t, Map<String, Node> nodes) {
    if (t.state().terminal()) return true;
    if (t.nodeID() == null || t.nodeID().isEmpty()) return false;
    return NodeAvailability.lost(nodes.get(t.nodeID()));
  }

  /**
   * Replacements desired READY that may now run: the restart delay has passed and no older task of
   * the slot is still running. Shared by the replicated and global planners.
   */
  public static Plan promote(List<Task> tasks, Map<String, Node> nodes, boolean global, Instant now) {
    Plan plan = new Plan();
    for (List<Task> history : Slots.group(tasks, global).values()) {
      boolean newerWaiting = false;
      for (Task t : history) { // newest first
        if (t.desiredState() != TaskState.READY) continue;
        // only the newest waiting task of a slot may run: an older one was superseded by a later
        // update before it started (two updates within one round trip; found by the T2 simulation,
        // where both were promoted together because each skipped the other as "also waiting")
        if (newerWaiting) {
          plan.update(t.withDesiredState(TaskState.SHUTDOWN));
          continue;
        }
        newerWaiting = true;
        // wait for every other live task of the slot, whatever its desired state: if a stop was
        // skipped (its write lost a race) the old task is still wanted, and starting now would
        // run two tasks in a stop-first slot (found by the T2 simulation)
        boolean olderStillRunning = history.stream().anyMatch(o -> o != t
            && !o.state().terminal() && o.state().atLeast(TaskState.ASSIGNED)
            && o.desiredState() != TaskState.READY
            // a task on a lost node will never report that it stopped: do not wait for it
            && !NodeAvailability.lost(nodes.get(o.nodeID())));
        if (olderStillRunning) continue;
        if (!now.isBefore(RestartDecider.startAt(t, history))) plan.update(t.withDesiredState(TaskState.RUNNING));
      }
    }
    return plan;
  }
}
