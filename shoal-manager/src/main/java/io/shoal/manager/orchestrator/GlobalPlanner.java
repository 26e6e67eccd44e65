package io.shoal.manager.orchestrator;

import io.shoal.api.model.Node;
import io.shoal.api.model.Service;
import io.shoal.api.model.Task;
import io.shoal.api.model.TaskState;
import io.shoal.api.validation.Constraint;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Desired tasks of a global service, pure: one active task on every node that is up, not drained
 * and meets the constraints. A paused node keeps its task but gets no new one; a down node keeps
 * its task (it may come back; the task is not moved, there is nowhere to move it to); a drained or
 * no-longer-matching node's task is shut down.
 */
public final class GlobalPlanner {
  private final TaskFactory factory;

  public GlobalPlanner(TaskFactory factory) {
    this.factory = factory;
  }

  public Plan plan(Service s, List<Task> tasks, List<Node> nodes, Instant now) {
    Plan plan = new Plan();
    Map<String, List<Task>> byNode = Slots.group(tasks, true);
    List<Constraint> constraints = Constraint.parseAll(s.spec().taskTemplate().constraints());
    Set<String> known = new HashSet<>();
    for (Node n : nodes) {
      known.add(n.id());
      List<Task> history = byNode.getOrDefault(n.id(), List.of());
      boolean matches = constraints.stream().allMatch(c -> c.matches(n));
      boolean drained = Node.NodeSpec.DRAIN.equals(n.spec().availabilityOrActive());
      if (!matches || drained) {
        for (Task t : history) if (Slots.active(t)) plan.update(t.withDesiredState(TaskState.SHUTDOWN));
        continue;
      }
      if (n.status() != null && Node.DOWN.equals(n.status().state())) continue;
      // one task per node: replace at most once, and only when none of the node's tasks runs
      boolean alive = history.stream().anyMatch(t -> Slots.active(t) && !t.state().terminal());
      Task ended = null;
      for (Task t : history) {
        if (!Slots.active(t) || !t.state().terminal()) continue;
        plan.update(t.withDesiredState(TaskState.SHUTDOWN));
        if (ended == null) ended = t; // newest first
      }
      if (!alive && ended != null && RestartDecider.shouldRestart(ended, history, now)) {
        plan.create(factory.newTask(s, 0, n.id(), TaskState.READY, now));
        alive = true;
      }
      // ended by itself and not replaced: given up on by policy, for good. A task the managers
      // stopped (drain, constraints) does not count: the node gets a new one when eligible again.
      if (!alive && !history.isEmpty() && RestartDecider.gaveUp(history.get(0), history)
          && history.get(0).desiredState().before(TaskState.REMOVE)) {
        alive = true;
      }
      boolean paused = Node.NodeSpec.PAUSE.equals(n.spec().availabilityOrActive());
      if (!alive && !paused) {
        // a task told to stop may still be running here: the new one waits (READY) until it has
        // stopped, so a node never runs two tasks of the service (found by the T2 simulation)
        boolean stopping = history.stream().anyMatch(t -> !t.state().terminal() && t.state().atLeast(TaskState.ASSIGNED));
        plan.create(factory.newTask(s, 0, n.id(), stopping ? TaskState.READY : TaskState.RUNNING, now));
      }
    }
    // tasks on nodes that were removed from the swarm
    for (Map.Entry<String, List<Task>> e : byNode.entrySet()) {
      if (known.contains(e.getKey())) continue;
      for (Task t : e.getValue()) {
        if (t.desiredState().compareTo(TaskState.REMOVE) < 0) plan.update(t.withDesiredState(TaskState.REMOVE));
      }
    }
    return plan;
  }
}
