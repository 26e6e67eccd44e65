package io.shoal.cli.progress;

import io.shoal.api.model.Service;
import io.shoal.api.model.Task;
import io.shoal.api.model.UpdateConfig;
import io.shoal.cli.Cli;
import io.shoal.cli.CommandFailure;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Polls a service and its tasks until it converges, then keeps watching for the monitor period
 * (the service's update monitor, 5 s by default) so a task that crashes right after starting is
 * caught, as docker's {@code verify: Waiting N seconds to verify that tasks are stable...} does.
 *
 * <p>Time comes only from the injected clock and sleeper, so tests drive it without sleeping.
 * Single-threaded.
 */
public final class ConvergenceWaiter {
  /** One poll's worth of state. */
  public record Poll(Service service, List<Task> tasks) {}

  /** Where polls come from; the CLI's implementation asks the daemon. */
  @FunctionalInterface
  public interface Source {
    Poll poll();
  }

  public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(250);
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

  private final Clock clock;
  private final Cli.Sleeper sleeper;
  private final Duration interval;
  private final Duration timeout;
  private final ProgressView view;

  public ConvergenceWaiter(Clock clock, Cli.Sleeper sleeper, Duration interval, Duration timeout,
      ProgressView view) {
    this.clock = clock;
    this.sleeper = sleeper;
    this.interval = interval;
    this.timeout = timeout;
    this.view = view;
  }

  /**
   * Returns when converged and stable; throws {@link CommandFailure} if the update paused or
   * rolled back, or on timeout.
   */
  public void await(Source source, boolean requireCurrentSpec) throws InterruptedException {
    await(source, requireCurrentSpec, false);
  }

  /** As above; {@code rollback} for {@code service rollback}, where rolling back is the goal. */
  public void await(Source source, boolean requireCurrentSpec, boolean rollback) throws InterruptedException {
    Instant start = clock.instant();
    Instant deadline = start.plus(timeout);
    Instant convergedAt = null;
    while (true) {
      Poll poll = source.poll();
      Instant now = clock.instant();
      Progress.Frame frame = Progress.evaluate(poll.service(), poll.tasks(), requireCurrentSpec, rollback);
      List<String> lines = new ArrayList<>(frame.lines());
      if (frame.failure() != null) {
        view.show(lines);
        throw new CommandFailure(frame.failure());
      }
      if (frame.converged()) {
        if (frame.job()) {
          lines.add("job complete ");
          view.show(lines);
          return;
        }
        Duration monitor = monitor(poll.service());
        if (convergedAt == null) {
          convergedAt = now;
        }
        Duration stable = Duration.between(convergedAt, now);
        if (stable.compareTo(monitor) >= 0) {
          lines.add("verify: Service converged ");
          view.show(lines);
          return;
        }
        long left = (long) Math.ceil((monitor.toNanos() - stable.toNanos()) / 1e9);
        lines.add("verify: Waiting " + left + " second" + (left == 1 ? "" : "s")
            + " to verify that tasks are stable... ");
      } else {
        convergedAt = null;
      }
      view.show(lines);
      if (!now.isBefore(deadline)) {
        throw new CommandFailure("Error: timed out after " + timeout.toSeconds()
            + "s waiting for service " + poll.service().name() + " to converge");
      }
      sleeper.sleep(interval);
    }
  }

  static Duration monitor(Service s) {
    UpdateConfig u = s.spec().updateConfig();
    long n = u == null || u.monitor() == null || u.monitor() == 0 ? UpdateConfig.DEFAULT_MONITOR : u.monitor();
    return Duration.ofNanos(n);
  }
}
