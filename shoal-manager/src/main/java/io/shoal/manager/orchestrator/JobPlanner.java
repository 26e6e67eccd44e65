package io.shoal.manager.orchestrator;

import io.shoal.api.model.Node;
import io.shoal.api.model.Service;
import io.shoal.api.model.ServiceMode;
import io.shoal.api.model.Task;
import io.shoal.api.model.TaskState;
import io.shoal.api.model.Version;
import io.shoal.api.validation.Constraint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Tasks of job services, pure. A replicated job runs until {@code TotalCompletions} tasks of the
 * current iteration have completed, at most {@code MaxConcurrent} at a time; a global job runs to
 * completion once on every eligible node. Failed tasks are retried as the restart policy allows.
 * Completed tasks get desired state COMPLETE so they are never counted as wanting to run again.
 * Tasks of an older iteration (the job was updated) are shut down.
 */
public final class JobPlanner {
  private final TaskFactory factory;

  public JobPlanner(TaskFactory factory) {
    this.factory = factory;
  }

  public Plan plan(Service s, List<Task> tasks, List<Node> nodes, Instant now) {
    Plan plan = new Plan();
    Version iteration = s.jobStatus() == null ? null : s.jobStatus().jobIteration();
    List<Task> current = new ArrayList<>();
    for (Task t : tasks) {
      if (Objects.equals(t.jobIteration(), iteration)) current.add(t);
      else if (Slots.active(t)) plan.update(t.withDesiredState(TaskState.SHUTDOWN));
    }
    boolean global = s.spec().modeOrDefault().globalJob() != null;
    Map<String, List<Task>> slots = Slots.group(current, global);
    Map<String, Node> byId = new java.util.HashMap<>();
    for (Node n : nodes) byId.put(n.id(), n);
    long completed = 0;
    long inflight = 0;
    long gaveUp = 0;
    Set<String> done = new HashSet<>();
    for (Map.Entry<String, List<Task>> e : slots.entrySet()) {
      List<Task> history = e.getValue();
      boolean complete = false;
      boolean running = false;
      Task ended = null;
      for (Task t : history) {
        if (t.state() == TaskState.COMPLETE) {
          completed++;
          complete = true;
          if (Slots.active(t)) plan.update(t.withDesiredState(TaskState.COMPLETE));
        } else if (Slots.active(t)) {
          // a replicated job's task on a node that is down, drained or gone will not finish: it is
          // retried elsewhere. A global job's task belongs to its node and waits for it.
          if (t.state().terminal() || !global && ReplicatedPlanner.endedOrLost(t, byId)) {
            plan.update(t.withDesiredState(TaskState.SHUTDOWN));
            if (ended == null) ended = t; // newest first
          } else {
            running = true;
          }
        }
      }
      if (complete) {
        done.add(e.getKey());
      } else if (running) {
        inflight++;
      } else if (ended != null && RestartDecider.shouldRestart(ended, history, now)) {
        // a replicated job's retry goes wherever the scheduler finds room; a global job's stays
        plan.create(factory.newTask(s, ended.slot(), global ? ended.nodeID() : null, TaskState.READY, now));
        inflight++;
      } else if (ended != null || RestartDecider.endedOnItsOwn(history.get(0))) {
        // given up on, now or in an earlier round: the slot does not run again, and it counts
        // against the total so a new slot does not silently retry what the policy forbade
        gaveUp++;
        done.add(e.getKey());
      }
    }
    if (global) {
      List<Constraint> cs = Constraint.parseAll(s.spec().taskTemplate().constraints());
      for (Node n : nodes) {
        if (!NodeAvailability.acceptsNew(n) || !cs.stream().allMatch(c -> c.matches(n))) continue;
        if (done.contains(n.id()) || slots.containsKey(n.id()) && slots.get(n.id()).stream().anyMatch(Slots::active)) continue;
        plan.create(factory.newTask(s, 0, n.id(), TaskState.RUNNING, now));
      }
      return plan;
    }
    ServiceMode.ReplicatedJob job = s.spec().modeOrDefault().replicatedJob();
    long total = job.totalCompletionsOrDefault();
    long maxConcurrent = job.maxConcurrentOrDefault();
    long slot = 1;
    while (completed + gaveUp + inflight < total && inflight < maxConcurrent) {
      while (slots.containsKey(String.valueOf(slot))) slot++;
      plan.create(factory.newTask(s, slot, null, TaskState.RUNNING, now));
      slot++;
      inflight++;
    }
    return plan;
  }
}
