package io.shoal.cli.progress;

import io.shoal.api.model.Service;
import io.shoal.api.model.ServiceMode;
import io.shoal.api.model.Task;
import io.shoal.api.model.TaskState;
import io.shoal.cli.format.Display;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Pure evaluation of one poll: a service and its tasks to the progress lines docker shows and
 * whether the service has converged. No I/O, no clock; {@link ConvergenceWaiter} adds time.
 *
 * <p>A replicated service converges when every slot 1..N has a task that is meant to run and is
 * running; a global one when every node the orchestrator gave a task runs it. When {@code
 * requireCurrentSpec} is set (after {@code service update}), tasks still carrying an old task
 * template do not count, so an update is not reported done before its tasks were replaced.
 */
public final class Progress {
  private Progress() {}

  /** docker's bar positions; "allocated" is swarmkit's internal state between new and pending. */
  private static final Map<TaskState, Integer> NUMBERED = Map.of(
      TaskState.NEW, 1, TaskState.PENDING, 3, TaskState.ASSIGNED, 4, TaskState.ACCEPTED, 5,
      TaskState.PREPARING, 6, TaskState.READY, 7, TaskState.STARTING, 8, TaskState.RUNNING, 9,
      TaskState.COMPLETE, 9);
  private static final int MAX_PROGRESS = 9;
  private static final int LONGEST_STATE = "preparing".length();

  /** One evaluated poll. {@code failure} non-null means stop waiting and report it. */
  public record Frame(List<String> lines, long done, long desired, boolean converged, boolean job,
      String failure) {}

  public static Frame evaluate(Service service, List<Task> tasks, boolean requireCurrentSpec) {
    return evaluate(service, tasks, requireCurrentSpec, false);
  }

  /** As above; {@code rollback} when the user asked for it, so a completed rollback is success. */
  public static Frame evaluate(Service service, List<Task> tasks, boolean requireCurrentSpec, boolean rollback) {
    String failure = updateFailure(service, rollback);
    ServiceMode mode = service.spec().modeOrDefault();
    List<Task> mine = tasks.stream().filter(t -> service.id().equals(t.serviceID())).toList();
    if (mode.isJob()) {
      return job(service, mode, mine, failure);
    }
    boolean updating = updateInProgress(service);
    Map<String, List<Task>> groups = new TreeMap<>(Comparator.comparing(Progress::groupOrder));
    long desired;
    if (mode.isGlobal()) {
      for (Task t : mine) {
        if (t.nodeID() != null && !t.nodeID().isEmpty() && activeDesired(t)) {
          groups.computeIfAbsent(t.nodeID(), k -> new ArrayList<>()).add(t);
        }
      }
      desired = service.serviceStatus() != null && service.serviceStatus().desiredTasks() > 0
          ? service.serviceStatus().desiredTasks() : groups.size();
    } else {
      desired = mode.replicaCount();
      for (long slot = 1; slot <= desired; slot++) {
        groups.put(Long.toString(slot), new ArrayList<>());
      }
      for (Task t : mine) {
        List<Task> g = groups.get(Long.toString(t.slot()));
        if (g != null) {
          g.add(t);
        }
      }
    }
    List<String> lines = new ArrayList<>();
    long running = 0;
    for (Map.Entry<String, List<Task>> e : groups.entrySet()) {
      Optional<Task> shown = pick(e.getValue());
      boolean ok = shown.isPresent() && shown.get().state() == TaskState.RUNNING && activeDesired(shown.get())
          && (!requireCurrentSpec || current(service, shown.get()));
      if (ok) {
        running++;
      }
      String id = mode.isGlobal() ? Display.shortId(e.getKey(), false) : e.getKey() + "/" + desired;
      Optional<Task> failed = ok ? Optional.empty() : lastFailure(e.getValue(), shown);
      lines.add(id + ": " + failed.or(() -> shown).map(Progress::describe).orElse(""));
    }
    lines.add(0, "overall progress: " + running + " out of " + desired + " tasks ");
    boolean converged = failure == null && !updating && running == desired && (desired > 0 || !mode.isGlobal());
    return new Frame(lines, running, desired, converged, false, failure);
  }

  private static Frame job(Service service, ServiceMode mode, List<Task> tasks, String failure) {
    long total = mode.replicatedJob() != null ? mode.replicatedJob().totalCompletionsOrDefault()
        : service.serviceStatus() != null ? service.serviceStatus().desiredTasks() : tasks.size();
    long complete = tasks.stream().filter(t -> t.state() == TaskState.COMPLETE).count();
    List<String> lines = new ArrayList<>();
    lines.add("overall progress: " + complete + " out of " + total + " tasks ");
    for (Task t : tasks) {
      if (t.status() != null && t.status().err() != null && !t.status().err().isEmpty()) {
        lines.add(label(t) + ": " + truncErr(t.status().err()));
      }
    }
    boolean done = failure == null && total > 0 && complete >= total;
    return new Frame(lines, complete, total, done, true, failure);
  }

  private static String label(Task t) {
    return t.slot() != 0 ? Long.toString(t.slot()) : Display.shortId(t.nodeID(), false);
  }

  /** Numeric slots in numeric order, node ids alphabetically. */
  private static String groupOrder(String key) {
    return key.chars().allMatch(Character::isDigit) ? String.format("%020d", Long.parseLong(key)) : key;
  }

  private static boolean activeDesired(Task t) {
    return t.desiredState() == null || t.desiredState().compareTo(TaskState.RUNNING) <= 0;
  }

  /** The task a slot shows: the newest meant to run, else the newest of all (its error). */
  static Optional<Task> pick(List<Task> slot) {
    Comparator<Task> newest = Comparator.comparingLong((Task t) -> t.version() == null ? 0 : t.version().index())
        .thenComparing(t -> t.createdAt() == null ? java.time.Instant.EPOCH : t.createdAt());
    Optional<Task> active = slot.stream().filter(Progress::activeDesired).max(newest);
    return active.isPresent() ? active : slot.stream().max(newest);
  }

  /**
   * While a slot's replacement task has not reached RUNNING, the error of the attempt it replaces
   * (e.g. "No such image") stays on screen instead of flickering through new/pending/assigned on
   * every restart.
   */
  private static Optional<Task> lastFailure(List<Task> slot, Optional<Task> shown) {
    if (shown.isPresent() && (hasErr(shown.get()) || shown.get().state() == TaskState.RUNNING)) {
      return Optional.empty();
    }
    return slot.stream().filter(t -> !activeDesired(t) && hasErr(t) && t.state().terminal())
        .max(Comparator.comparingLong(t -> t.version() == null ? 0 : t.version().index()));
  }

  private static boolean hasErr(Task t) {
    return t.status() != null && t.status().err() != null && !t.status().err().isEmpty();
  }

  private static boolean current(Service service, Task t) {
    if (service.updateStatus() != null && "completed".equals(service.updateStatus().state())) {
      return true;
    }
    return t.spec() == null || t.spec().equals(service.spec().taskTemplate());
  }

  /** {@code running   [=====>  ]}, or the task's error when it has one. */
  static String describe(Task t) {
    if (t.status() != null && t.status().err() != null && !t.status().err().isEmpty()) {
      return truncErr(t.status().err());
    }
    TaskState s = t.state();
    String state = String.format("%-" + LONGEST_STATE + "s", s.wire());
    Integer n = NUMBERED.get(s);
    if (n == null) {
      return state.strip();
    }
    int percent = Math.min(50, (int) ((double) n / MAX_PROGRESS * 100) / 2);
    return state + " [" + "=".repeat(percent) + ">" + " ".repeat(50 - percent) + "] ";
  }

  /** First line only, at most 80 characters, as docker keeps a progress line to one row. */
  static String truncErr(String err) {
    String e = err.lines().findFirst().orElse("");
    return e.length() > 80 ? e.substring(0, 79) + "\u2026" : e;
  }

  private static boolean updateInProgress(Service s) {
    return s.updateStatus() != null && s.updateStatus().state() != null
        && (s.updateStatus().state().equals("updating") || s.updateStatus().state().equals("rollback_started"));
  }

  private static String updateFailure(Service s, boolean rollback) {
    if (s.updateStatus() == null || s.updateStatus().state() == null) {
      return null;
    }
    String msg = s.updateStatus().message() == null ? "" : s.updateStatus().message();
    return switch (s.updateStatus().state()) {
      case "paused" -> "update paused" + (msg.isEmpty() ? "" : ": " + msg);
      case "rollback_paused" -> "rollback paused" + (msg.isEmpty() ? "" : ": " + msg);
      case "rollback_completed" -> rollback ? null : "service rolled back" + (msg.isEmpty() ? "" : ": " + msg);
      default -> null;
    };
  }

  /** Keys of lines, for plain output that prints a line only when it changed. */
  static Map<String, String> byKey(List<String> lines) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String l : lines) {
      int colon = l.indexOf(':');
      m.put(colon < 0 ? l : l.substring(0, colon), l);
    }
    return m;
  }
}
