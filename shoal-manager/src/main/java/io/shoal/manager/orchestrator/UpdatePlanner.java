package io.shoal.manager.orchestrator;

import io.shoal.api.model.Node;
import io.shoal.api.model.Service;
import io.shoal.api.model.Task;
import io.shoal.api.model.TaskState;
import io.shoal.api.model.UpdateConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Rolling updates, pure: replaces out-of-date tasks a few slots at a time, per the service's
 * update (or rollback) config.
 *
 * <p>Everything it needs is derived from the store each round (which slots are out of date, which
 * new tasks are still starting or inside their delay, which failed since the update started), so
 * a new leader carries on an update exactly where the old one was.
 *
 * <ul>
 *   <li>in flight: new tasks created since the update started that are not yet running, or running
 *       for less than {@code Delay}; at most {@code Parallelism} (0 = all) at once;
 *   <li>stop-first: the old task is shut down and the new one waits (desired READY) until it has
 *       stopped; start-first: the new one starts at once and the old one is shut down when the new
 *       one runs;
 *   <li>failures: new tasks that ended within {@code Monitor} of starting; past {@code
 *       MaxFailureRatio} the failure action applies: pause, continue, or rollback.
 * </ul>
 */
public final class UpdatePlanner {
  public static final String UPDATING = "updating";
  public static final String PAUSED = "paused";
  public static final String COMPLETED = "completed";
  public static final String ROLLBACK_STARTED = "rollback_started";
  public static final String ROLLBACK_PAUSED = "rollback_paused";
  public static final String ROLLBACK_COMPLETED = "rollback_completed";

  private final TaskFactory factory;

  public UpdatePlanner(TaskFactory factory) {
    this.factory = factory;
  }

  public Plan plan(Service s, List<Task> tasks, Map<String, Node> nodes, Instant now) {
    Plan plan = new Plan();
    if (s.spec().modeOrDefault().isJob()) return plan;
    boolean global = s.spec().modeOrDefault().isGlobal();
    Service.UpdateStatus st = s.updateStatus();
    String state = st == null ? null : st.state();
    boolean rollingBack = ROLLBACK_STARTED.equals(state);
    UpdateConfig cfg = rollingBack ? s.spec().rollbackConfigOrDefault() : s.spec().updateConfigOrDefault();

    List<List<Task>> dirtySlots = new ArrayList<>();
    int inFlight = 0;
    int settling = 0;
    int slotCount = 0;
    Task failedTask = null;
    int failures = 0;
    Instant since = st == null || st.startedAt() == null ? Instant.MIN : st.startedAt();
    Duration delay = Duration.ofNanos(cfg.delayOrZero());
    Duration monitor = Duration.ofNanos(cfg.monitorOrDefault());
    for (List<Task> history : Slots.group(tasks, global).values()) {
      List<Task> active = history.stream().filter(Slots::active).toList();
      List<Task> fresh = active.stream().filter(t -> !Slots.dirty(s, t)).toList();
      List<Task> stale = active.stream().filter(t -> Slots.dirty(s, t)).toList();
      if (!active.isEmpty()) slotCount++;
      // generations: once a task of the slot runs, older out-of-date tasks go, whether or not the
      // running one has the current spec (two start-first updates in quick succession otherwise
      // leave the first generation running until the update reaches the slot, forever if it pauses)
      Task newestRunning = active.stream().filter(t -> t.state() == TaskState.RUNNING).findFirst().orElse(null);
      if (newestRunning != null) {
        List<Task> superseded = stale.stream()
            .filter(t -> t != newestRunning && Slots.NEWEST_FIRST.compare(t, newestRunning) > 0).toList();
        superseded.forEach(t -> plan.update(t.withDesiredState(TaskState.SHUTDOWN)));
        if (!superseded.isEmpty()) {
          active = active.stream().filter(t -> !superseded.contains(t)).toList();
          stale = stale.stream().filter(t -> !superseded.contains(t)).toList();
        }
      }
      boolean slotFailed = false;
      for (Task t : history) {
        if (Slots.dirty(s, t) || t.createdAt() == null || t.createdAt().isBefore(since)) continue;
        if (failedEarly(t, cfg)) {
          failures++;
          slotFailed = true;
          if (failedTask == null) failedTask = t;
        }
      }
      if (fresh.isEmpty() && !stale.isEmpty() && !stale.stream().allMatch(t -> ReplicatedPlanner.endedOrLost(t, nodes))) {
        dirtySlots.add(stale);
        continue;
      }
      for (Task f : fresh) {
        Duration up = runningFor(f, now);
        // a slot whose new task failed is done as far as the update goes (the failure is counted;
        // the restart policy retries it): it must not hold a parallelism slot forever
        if (!slotFailed && (f.state().before(TaskState.RUNNING) || up.compareTo(delay) < 0)) {
          inFlight++;
        } else if (f.state() == TaskState.RUNNING && up.compareTo(monitor) < 0
            && f.createdAt() != null && !f.createdAt().isBefore(since)) {
          settling++; // updated, still watched for early failure before the update may complete
        }
        // start-first: the old task goes once its replacement runs
        if (f.state() == TaskState.RUNNING) for (Task old : stale) plan.update(old.withDesiredState(TaskState.SHUTDOWN));
      }
    }

    boolean inProgress = UPDATING.equals(state) || rollingBack;
    if (dirtySlots.isEmpty() && !inProgress) return plan;
    if (PAUSED.equals(state) || ROLLBACK_PAUSED.equals(state)) return plan;
    if (!inProgress) {
      // a new update begins: tasks made before now are the ones to replace
      plan.update(s.withUpdateStatus(new Service.UpdateStatus(UPDATING, now, null, "update in progress")));
      return plan;
    }
    // Swarm's ratio: failed tasks over the tasks the update replaces (one per slot), so with
    // MaxFailureRatio 0.5 two of four slots may fail; 0 means any failure triggers the action
    if (failures > 0 && (double) failures / Math.max(1, slotCount) > cfg.maxFailureRatioOrZero()) {
      String action = cfg.failureActionOrDefault();
      String why = "due to failure or early termination of task " + failedTask.id();
      if (action.equals(UpdateConfig.PAUSE)) {
        plan.update(s.withUpdateStatus(new Service.UpdateStatus(rollingBack ? ROLLBACK_PAUSED : PAUSED,
            st.startedAt(), null, (rollingBack ? "rollback paused " : "update paused ") + why)));
        return plan;
      }
      if (action.equals(UpdateConfig.ROLLBACK) && !rollingBack && s.previousSpec() != null) {
        plan.update(s.withSpec(s.previousSpec(), s.spec())
            .withUpdateStatus(new Service.UpdateStatus(ROLLBACK_STARTED, now, null, "update rolled back " + why)));
        return plan;
      }
    }
    if (dirtySlots.isEmpty()) {
      // done once the last new tasks ran through their delay and the monitor period, as Swarm
      // watches them for one more monitor period before declaring the update complete
      if (inFlight == 0 && settling == 0) {
        plan.update(s.withUpdateStatus(new Service.UpdateStatus(rollingBack ? ROLLBACK_COMPLETED : COMPLETED,
            st.startedAt(), now, rollingBack ? "rollback completed" : "update completed")));
      }
      return plan;
    }
    long parallelism = cfg.parallelismOrDefault();
    long capacity = parallelism == 0 ? Long.MAX_VALUE : parallelism - inFlight;
    boolean startFirst = UpdateConfig.START_FIRST.equals(cfg.orderOrDefault());
    for (List<Task> stale : dirtySlots) {
      if (capacity-- <= 0) break;
      Task old = stale.get(0);
      String node = global ? old.nodeID() : null;
      long slot = global ? 0 : old.slot();
      if (startFirst) {
        plan.create(factory.newTask(s, slot, node, TaskState.RUNNING, now));
      } else {
        for (Task t : stale) plan.update(t.withDesiredState(TaskState.SHUTDOWN));
        plan.create(factory.newTask(s, slot, node, TaskState.READY, now));
      }
    }
    return plan;
  }

  private static Duration runningFor(Task t, Instant now) {
    if (t.status() == null || t.status().timestamp() == null) return Duration.ZERO;
    return Duration.between(t.status().timestamp(), now);
  }

  /**
   * Ended by itself (failed, rejected, or exited) within the monitor period of being created. A
   * task the managers stopped is no failure, nor is one that ran longer than the monitor period.
   */
  private static boolean failedEarly(Task t, UpdateConfig cfg) {
    if (!RestartDecider.endedOnItsOwn(t)) return false;
    if (t.createdAt() == null || t.status() == null || t.status().timestamp() == null) return true;
    return Duration.between(t.createdAt(), t.status().timestamp()).toNanos() < cfg.monitorOrDefault();
  }
}
