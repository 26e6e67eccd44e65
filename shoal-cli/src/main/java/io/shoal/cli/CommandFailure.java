package io.shoal.cli;

/**
 * A command could not do what was asked for a reason that is neither a usage error nor a daemon
 * error (a service update paused, convergence timed out, an object not found among several). The
 * CLI prints the message and exits 1.
 */
public final class CommandFailure extends RuntimeException {
  public CommandFailure(String message) {
    super(message);
  }
}
