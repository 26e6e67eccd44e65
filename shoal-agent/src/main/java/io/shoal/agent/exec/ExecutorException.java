package io.shoal.agent.exec;

/**
 * What an executor reports when an operation on a task cannot be done. The kind decides what the
 * task runner does: {@link Rejected} before start moves the task to REJECTED, {@link Unavailable}
 * is retried (the engine may come back), {@link NotFound} and {@link Failed} fail the task.
 * The message is the engine's own words where there is one: it ends up in {@code Status.Err}.
 */
public abstract sealed class ExecutorException extends RuntimeException
    permits ExecutorException.Rejected,
        ExecutorException.NotFound,
        ExecutorException.Unavailable,
        ExecutorException.Failed {

  protected ExecutorException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The task cannot be run here as specified (image missing, bad mount source...). */
  public static final class Rejected extends ExecutorException {
    public Rejected(String message, Throwable cause) {
      super(message, cause);
    }

    public Rejected(String message) {
      super(message, null);
    }
  }

  /** The task's container or process does not exist (any more). */
  public static final class NotFound extends ExecutorException {
    public NotFound(String message) {
      super(message, null);
    }
  }

  /** The runtime cannot be reached now; a later retry may succeed. */
  public static final class Unavailable extends ExecutorException {
    public Unavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Anything else the runtime refused. */
  public static final class Failed extends ExecutorException {
    public Failed(String message, Throwable cause) {
      super(message, cause);
    }

    public Failed(String message) {
      super(message, null);
    }
  }
}
