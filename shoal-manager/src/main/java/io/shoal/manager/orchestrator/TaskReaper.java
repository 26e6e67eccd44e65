package io.shoal.manager.orchestrator;

import io.shoal.api.model.Node;
import io.shoal.api.model.Service;
import io.shoal.api.model.Task;
import io.shoal.api.model.TaskState;
import java.util.List;
import java.util.Map;

/**
 * Deletes tasks nobody needs, pure: old history beyond the cluster's retention limit per slot,
 * tasks desired REMOVE once they stopped (or never ran, or their node is lost), and tasks of
 * services that no longer exist — asking those to stop first.
 */
public final class TaskReaper {
  private TaskReaper() {}

  public static Plan plan(Map<String, Service> services, List<Task> tasks, Map<String, Node> nodes, long historyLimit) {
    Plan plan = new Plan();
    Map<String, List<Task>> byService = new java.util.HashMap<>();
    for (Task t : tasks) byService.computeIfAbsent(t.serviceID(), k -> new java.util.ArrayList<>()).add(t);
    for (Map.Entry<String, List<Task>> e : byService.entrySet()) {
      Service s = services.get(e.getKey());
      for (Task t : e.getValue()) {
        boolean orphan = s == null;
        if (orphan && t.desiredState().compareTo(TaskState.REMOVE) < 0) {
          plan.update(t.withDesiredState(TaskState.REMOVE));
        } else if (t.desiredState().atLeast(TaskState.REMOVE) && stopped(t, nodes)) {
          plan.delete(t);
        }
      }
      // a negative limit keeps all history, as in Swarm
      if (s == null || historyLimit < 0) continue;
      boolean global = s.spec().modeOrDefault().isGlobal();
      // restarts are counted from the slot's history (RestartDecider), so with MaxAttempts set
      // keep one more task than that, as Swarm does, or a slot would restart forever
      long maxAttempts = s.spec().taskTemplate().restartPolicyOrDefault().maxAttemptsOrZero();
      long keep = maxAttempts > 0 ? Math.max(historyLimit, maxAttempts + 1) : historyLimit;
      for (List<Task> history : Slots.group(e.getValue(), global).values()) {
        if (history.size() <= keep) continue;
        // newest first: everything past the limit that is no longer wanted and has stopped goes
        for (Task t : history.subList((int) keep, history.size())) {
          if (!Slots.active(t) && t.desiredState().before(TaskState.REMOVE) && stopped(t, nodes)) plan.delete(t);
        }
      }
    }
    return plan;
  }

  /** The task holds nothing on any node any more. */
  static boolean stopped(Task t, Map<String, Node> nodes) {
    TaskState s = t.state();
    if (s.terminal()) return true;
    if (s.before(TaskState.ASSIGNED)) return true;
    return t.nodeID() != null && nodes.get(t.nodeID()) == null;
  }
}
