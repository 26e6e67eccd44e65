package io.shoal.stack.plan;

import java.time.Duration;

/**
 * Waits between polls. The daemon passes {@code Thread::sleep}-backed waiting; tests pass one that
 * advances a fake clock, so no test sleeps.
 */
@FunctionalInterface
public interface Pauser {
  void pause(Duration d) throws InterruptedException;
}
