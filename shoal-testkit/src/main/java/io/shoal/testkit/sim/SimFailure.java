package io.shoal.testkit.sim;

/** An invariant broken or an event failed in a simulation run; the message carries the seed. */
public final class SimFailure extends AssertionError {
  public SimFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
