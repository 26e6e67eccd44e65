package io.shoal.manager.orchestrator;

import io.shoal.api.model.RestartPolicy;
import io.shoal.api.model.Task;
import io.shoal.api.model.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Swarm's restart rules, pure: whether a task that stopped (or whose node went away) is replaced,
 * and when its replacement may start.
 *
 * <p>Attempts are counted from the slot's history in the store rather than kept in memory, so a
 * new leader decides exactly as the old one would have. For that the reaper keeps MaxAttempts + 1
 * tasks per slot when that is more than the cluster's task history limit, as Swarm does.
 */
public final class RestartDecider {
  private RestartDecider() {}

  /**
   * @param failed the task that ended or is lost
   * @param slotHistory every task of the slot (or global node), newest first, {@code failed} included
   */
  public static boolean shouldRestart(Task failed, List<Task> slotHistory, Instant now) {
    RestartPolicy p = failed.spec().restartPolicyOrDefault();
    String cond = p.conditionOrDefault();
    if (cond.equals(RestartPolicy.NONE)) return false;
    if (cond.equals(RestartPolicy.ON_FAILURE) && failed.state() == TaskState.COMPLETE) return false;
    long max = p.maxAttemptsOrZero();
    if (max == 0) return true;
    long window = p.windowOrZero();
    Instant since = window == 0 ? Instant.MIN : now.minus(Duration.ofNanos(window));
    // Restarts are counted per spec, as Swarm resets a slot's restart history when the spec
    // changes: a task a rolling update made is a new start, not a restart. Of the slot's tasks
    // with the failed one's spec, all but the oldest are restarts. Ordered by creation, then by
    // store version, so tasks created within one clock tick still count.
    List<Task> same = new ArrayList<>();
    for (Task t : slotHistory) if (Objects.equals(t.spec(), failed.spec())) same.add(t);
    same.sort(Slots.NEWEST_FIRST);
    long restarts = 0;
    for (int i = 0; i < same.size() - 1; i++) {
      Instant c = same.get(i).createdAt();
      if (c == null || !c.isBefore(since)) restarts++;
    }
    return restarts < max;
  }

  /**
   * A task that stopped by itself (completed, failed, rejected) rather than because the managers
   * asked it to (SHUTDOWN after an update, a drain or a scale-down).
   */
  static boolean endedOnItsOwn(Task t) {
    TaskState s = t.state();
    return s == TaskState.COMPLETE || s == TaskState.FAILED || s == TaskState.REJECTED;
  }

  /**
   * The policy's verdict on a slot's newest task, which ended by itself and was not replaced:
   * judged as of the moment it ended, so the verdict does not change as a window slides, and so
   * a task the managers had already told to stop (a drain while its node was away, reporting its
   * end on return) is judged by the policy rather than read as "given up" (T2 simulation,
   * drain-global).
   */
  static boolean gaveUp(Task newest, List<Task> slotHistory) {
    if (!endedOnItsOwn(newest)) return false;
    Instant ended = newest.status() == null ? null : newest.status().timestamp();
    return !shouldRestart(newest, slotHistory, ended == null ? Instant.MAX : ended);
  }

  /**
   * When a replacement in this slot may start: the restart delay after the newest task that ended
   * by itself before it. Replacements made by an update, a drain or a scale-up start at once.
   */
  public static Instant startAt(Task replacement, List<Task> slotHistory) {
    Instant latestEnd = null;
    for (Task t : slotHistory) {
      // the delay follows a task that ended by itself; one the managers stopped (update, drain)
      // is replaced at once, as Swarm does
      if (t.id().equals(replacement.id()) || !endedOnItsOwn(t) || t.status().timestamp() == null) continue;
      if (t.createdAt() != null && replacement.createdAt() != null && t.createdAt().isAfter(replacement.createdAt())) continue;
      if (latestEnd == null || t.status().timestamp().isAfter(latestEnd)) latestEnd = t.status().timestamp();
    }
    if (latestEnd == null) return Instant.MIN;
    return latestEnd.plus(Duration.ofNanos(replacement.spec().restartPolicyOrDefault().delayOrDefault()));
  }
}
