package io.shoal.manager.orchestrator;

import io.shoal.api.model.RestartPolicy;
import io.shoal.api.model.Task;
import io.shoal.api.model.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Swarm's restart rules, pure: whether a task that stopped (or whose node went away) is replaced,
 * and when its replacement may start.
 *
 * <p>Attempts are counted from the slot's history in the store rather than kept in memory, so a
 * new leader decides exactly as the old one would have. The catch: history is reaped to the
 * cluster's task history limit (5 by default), so a MaxAttempts above that limit is counted only
 * within the history kept.
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
    // every task after the slot's first one is a restart; count those inside the window
    Instant first = Instant.MAX;
    for (Task t : slotHistory) if (t.createdAt() != null && t.createdAt().isBefore(first)) first = t.createdAt();
    long restarts = 0;
    for (Task t : slotHistory) {
      Instant c = t.createdAt();
      if (c != null && c.isAfter(first) && !c.isBefore(since)) restarts++;
    }
    return restarts < max;
  }

  /**
   * When a replacement in this slot may start: the restart delay after the newest task that ended
   * before it. Replacements made by an update or a scale-up (no ended predecessor) start at once.
   */
  public static Instant startAt(Task replacement, List<Task> slotHistory) {
    Instant latestEnd = null;
    for (Task t : slotHistory) {
      if (t.id().equals(replacement.id()) || !t.state().terminal() || t.status().timestamp() == null) continue;
      if (t.createdAt() != null && replacement.createdAt() != null && t.createdAt().isAfter(replacement.createdAt())) continue;
      if (latestEnd == null || t.status().timestamp().isAfter(latestEnd)) latestEnd = t.status().timestamp();
    }
    if (latestEnd == null) return Instant.MIN;
    return latestEnd.plus(Duration.ofNanos(replacement.spec().restartPolicyOrDefault().delayOrDefault()));
  }
}
