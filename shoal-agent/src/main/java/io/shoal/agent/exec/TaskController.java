package io.shoal.agent.exec;

import io.shoal.api.dispatch.LogLine;
import io.shoal.api.dispatch.LogRequest;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Drives one task's container (or process) through its life. The agent's task runner makes one
 * controller per assigned task and calls it as the task's state moves forward.
 *
 * <p><b>Threading contract.</b> Every operation returns at once with a future; the work happens on
 * the executor's own threads, never on the caller's. The runner issues at most one of {@link
 * #prepare}, {@link #start}, {@link #shutdown}, {@link #terminate}, {@link #remove} at a time for
 * a controller, and waits for its future before the next. {@link #exit}, {@link #inspect} and
 * {@link #logs} may be called at any time from any thread, concurrently with the others.
 * Futures fail with an {@link ExecutorException}.
 *
 * <p><b>Idempotence.</b> Each operation must be safe to repeat and must accept what an earlier
 * agent already did: {@code prepare} on an existing container is a success, {@code start} on a
 * running one too, {@code remove} of nothing is a success. That is what makes adoption after an
 * agent restart work.
 */
public interface TaskController {

  /** Creates what the task needs (image present, container created, secrets written). */
  CompletableFuture<Void> prepare();

  /** Starts the main process. Completes once it has been started, not when it is healthy. */
  CompletableFuture<Void> start();

  /**
   * Completes when the main process has exited (immediately if it already has). Fails with
   * {@link ExecutorException.NotFound} if there is nothing to wait for.
   */
  CompletableFuture<ExitStatus> exit();

  /**
   * Stops the task: the spec's stop signal (SIGTERM by default), then a kill after {@code grace}.
   * Completes when it has stopped; a task never started is a no-op.
   */
  CompletableFuture<Void> shutdown(Duration grace);

  /** Kills the task at once. */
  CompletableFuture<Void> terminate();

  /** Removes what {@link #prepare} made (the container, per-task files); stops it first if needed. */
  CompletableFuture<Void> remove();

  /** What the runtime says about the task now; {@link ObservedTask.RuntimeState#ABSENT} if nothing. */
  CompletableFuture<ObservedTask> inspect();

  /**
   * Streams the task's output into {@code sink} (stdout stream 1, stderr 2), then calls
   * {@code onEnd} once: at the end of the output, or when a followed stream is closed.
   * Closing the returned handle stops a followed stream.
   */
  AutoCloseable logs(LogRequest request, Consumer<LogLine> sink, Runnable onEnd);

  /** Whether the task's spec asks for a healthcheck (RUNNING then waits for healthy). */
  boolean hasHealthcheck();

}
