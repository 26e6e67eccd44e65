package io.shoal.agent;

/** Errors of the agent itself (not of a task: those become task statuses). */
public abstract sealed class AgentException extends RuntimeException
    permits AgentException.StateUnreadable, AgentException.StateUnwritable {

  protected AgentException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The persisted assignments under the data dir cannot be read. */
  public static final class StateUnreadable extends AgentException {
    public StateUnreadable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The assignments cannot be persisted under the data dir. */
  public static final class StateUnwritable extends AgentException {
    public StateUnwritable(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
