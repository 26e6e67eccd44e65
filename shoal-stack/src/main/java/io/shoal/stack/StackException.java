package io.shoal.stack;

import java.util.List;

/**
 * The errors of the stack module. Every one names the place that is wrong (file and key path,
 * service, or the missing object), because a user reads it in a terminal and must fix the file.
 * All of them are raised before a plan touches the cluster, so a failed deploy writes nothing.
 * The API layer maps all of them to HTTP 400 (bad input), except {@link DeployFailed} (500).
 */
public abstract sealed class StackException extends RuntimeException
    permits StackException.InvalidCompose,
        StackException.MissingExternal,
        StackException.DependencyCycle,
        StackException.DeployFailed {

  protected StackException(String message) {
    super(message);
  }

  protected StackException(String message, Throwable cause) {
    super(message, cause);
  }

  /** HTTP status of Docker's API this error corresponds to. */
  public int httpStatus() {
    return 400;
  }

  /** The compose file(s) cannot be read, are not valid, or cannot be mapped to specs. */
  public static final class InvalidCompose extends StackException {
    public InvalidCompose(String message) {
      super(message);
    }

    public InvalidCompose(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Objects declared {@code external} that do not exist in the cluster. */
  public static final class MissingExternal extends StackException {
    private final List<String> missing;

    public MissingExternal(String message, List<String> missing) {
      super(message);
      this.missing = List.copyOf(missing);
    }

    /** Each entry is "kind name", e.g. {@code "network proxy"}. */
    public List<String> missing() {
      return missing;
    }
  }

  /** {@code depends_on} forms a cycle; {@link #cycle()} lists it, first service repeated last. */
  public static final class DependencyCycle extends StackException {
    private final List<String> cycle;

    public DependencyCycle(List<String> cycle) {
      super("depends_on forms a cycle: " + String.join(" -> ", cycle));
      this.cycle = List.copyOf(cycle);
    }

    public List<String> cycle() {
      return cycle;
    }
  }

  /** Executing a plan failed part way (the target refused a write, or a dependency never became ready). */
  public static final class DeployFailed extends StackException {
    public DeployFailed(String message) {
      super(message);
    }

    public DeployFailed(String message, Throwable cause) {
      super(message, cause);
    }

    @Override
    public int httpStatus() {
      return 500;
    }
  }
}
