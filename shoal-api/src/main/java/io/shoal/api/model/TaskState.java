package io.shoal.api.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * A task's life, strictly forward: a task never goes back to an earlier state, and the numeric
 * order is part of the contract (the scheduler, the agent and the reaper compare states).
 */
public enum TaskState {
  NEW,
  PENDING,
  ASSIGNED,
  ACCEPTED,
  PREPARING,
  READY,
  STARTING,
  RUNNING,
  COMPLETE,
  SHUTDOWN,
  FAILED,
  REJECTED,
  REMOVE,
  ORPHANED;

  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static TaskState parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid task state \"" + s + "\"");
    }
  }

  /** COMPLETE and later: the task will not run again. */
  public boolean terminal() {
    return compareTo(COMPLETE) >= 0;
  }

  public boolean before(TaskState other) {
    return compareTo(other) < 0;
  }

  public boolean atLeast(TaskState other) {
    return compareTo(other) >= 0;
  }
}
