package io.shoal.manager.orchestrator;

import io.shoal.api.model.Service;
import io.shoal.api.model.Task;
import io.shoal.api.model.TaskState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Groups a service's tasks by slot (replicated) or node (global) and answers the questions every
 * orchestrator asks: which task is the slot's current one, is the slot still wanted, is a task out
 * of date with its service.
 */
public final class Slots {
  private Slots() {}

  /** Tasks keyed by slot number (replicated) or node id (global), newest first in each list. */
  public static Map<String, List<Task>> group(List<Task> tasks, boolean global) {
    Map<String, List<Task>> out = new TreeMap<>();
    for (Task t : tasks) {
      String key = global ? Objects.toString(t.nodeID(), "") : String.valueOf(t.slot());
      out.computeIfAbsent(key, k -> new ArrayList<>()).add(t);
    }
    out.values().forEach(l -> l.sort(NEWEST_FIRST));
    return out;
  }

  public static final Comparator<Task> NEWEST_FIRST =
      Comparator.comparing((Task t) -> t.createdAt() == null ? java.time.Instant.MAX : t.createdAt())
          .thenComparing(t -> t.version().index())
          .reversed();

  /** A task the managers still want to run (desired READY or RUNNING). */
  public static boolean active(Task t) {
    return t.desiredState() != null && t.desiredState().compareTo(TaskState.RUNNING) <= 0;
  }

  /** The task's spec differs from its service's: a rolling update must replace it. */
  public static boolean dirty(Service s, Task t) {
    if (!Objects.equals(s.spec().taskTemplate(), t.spec())) return true;
    var want = s.endpoint() == null ? List.of() : s.endpoint().portsOrEmpty();
    var have = t.endpoint() == null ? List.of() : t.endpoint().portsOrEmpty();
    return !want.equals(have);
  }
}
