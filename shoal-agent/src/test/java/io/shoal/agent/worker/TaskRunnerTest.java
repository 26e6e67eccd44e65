package io.shoal.agent.worker;

import static io.shoal.testkit.TaskFixtures.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.agent.exec.ExitStatus;
import io.shoal.agent.exec.ObservedTask;
import io.shoal.agent.exec.TaskController;
import io.shoal.api.dispatch.LogLine;
import io.shoal.api.dispatch.LogRequest;
import io.shoal.api.model.Task;
import io.shoal.api.model.TaskState;
import io.shoal.api.model.TaskStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The runner shell with a controller whose futures the test completes by hand: every interleaving
 * is chosen by the test, on the test's thread (the scheduler is never used without healthchecks).
 */
class TaskRunnerTest {
  private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
  private final ScheduledExecutorService unused = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
  private final List<TaskStatus> reported = new ArrayList<>();

  @AfterEach
  void tearDown() {
    unused.shutdownNow();
  }

  /** Records calls; each operation's future is completed by the test. */
  static final class Scripted implements TaskController {
    final List<String> calls = new ArrayList<>();
    CompletableFuture<Void> prepare = new CompletableFuture<>();
    CompletableFuture<Void> start = new CompletableFuture<>();
    CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
    CompletableFuture<Void> shutdown = new CompletableFuture<>();

    public CompletableFuture<Void> prepare() {
      calls.add("prepare");
      return prepare;
    }

    public CompletableFuture<Void> start() {
      calls.add("start");
      return start;
    }

    public CompletableFuture<ExitStatus> exit() {
      calls.add("exit");
      return exit;
    }

    public CompletableFuture<Void> shutdown(Duration grace) {
      calls.add("shutdown " + grace.toSeconds());
      return shutdown;
    }

    public CompletableFuture<Void> terminate() {
      calls.add("terminate");
      return CompletableFuture.completedFuture(null);
    }

    public CompletableFuture<Void> remove() {
      calls.add("remove");
      return CompletableFuture.completedFuture(null);
    }

    public CompletableFuture<ObservedTask> inspect() {
      return CompletableFuture.completedFuture(ObservedTask.absent("t"));
    }

    public AutoCloseable logs(LogRequest r, Consumer<LogLine> sink, Runnable onEnd) {
      onEnd.run();
      return () -> {};
    }

    public boolean hasHealthcheck() {
      return false;
    }
  }

  private TaskRunner runner(Task t, Scripted c) {
    TaskRunner r = new TaskRunner(t, c, (id, s) -> reported.add(s), clock, unused,
        Duration.ofMillis(100), Duration.ofMillis(100));
    r.start(ObservedTask.absent(t.id()));
    return r;
  }

  @Test
  void oneOperationAtATimeInOrder() {
    Scripted c = new Scripted();
    TaskRunner r = runner(task("t", "n"), c);
    assertThat(c.calls).containsExactly("prepare");
    assertThat(r.status().state()).isEqualTo(TaskState.PREPARING);
    r.kick();
    assertThat(c.calls).containsExactly("prepare");
    c.prepare.complete(null);
    assertThat(c.calls).containsExactly("prepare", "start");
    c.start.complete(null);
    assertThat(r.status().state()).isEqualTo(TaskState.RUNNING);
    assertThat(c.calls).containsExactly("prepare", "start", "exit");
    c.exit.complete(new ExitStatus(0));
    assertThat(r.status().state()).isEqualTo(TaskState.COMPLETE);
    assertThat(reported).extracting(TaskStatus::state).isSorted();
  }

  @Test
  void exitCausedByShutdownIsShutdownNotFailed() {
    Scripted c = new Scripted();
    Task t = task("t", "n");
    TaskRunner r = runner(t, c);
    c.prepare.complete(null);
    c.start.complete(null);
    r.update(t.withDesiredState(TaskState.SHUTDOWN));
    assertThat(c.calls).containsExactly("prepare", "start", "exit", "shutdown 10");
    c.exit.complete(new ExitStatus(143)); // SIGTERM's exit arrives before stop returns
    assertThat(r.status().state()).isEqualTo(TaskState.RUNNING);
    c.shutdown.complete(null);
    assertThat(r.status().state()).isEqualTo(TaskState.SHUTDOWN);
    assertThat(reported).extracting(TaskStatus::state).doesNotContain(TaskState.FAILED);
  }

  @Test
  void theStoppingHookRunsBeforeEveryStopOfTheContainer() {
    Scripted c = new Scripted();
    Task t = task("t", "n");
    TaskRunner r = new TaskRunner(t, c, (id, s) -> reported.add(s), clock, unused, Duration.ofMillis(100),
        Duration.ofMillis(100), stopping -> c.calls.add("stopping " + stopping.id()));
    r.start(ObservedTask.absent(t.id()));
    c.prepare.complete(null);
    c.start.complete(null);
    r.update(t.withDesiredState(TaskState.SHUTDOWN));
    assertThat(c.calls).containsExactly("prepare", "start", "exit", "stopping t", "shutdown 10");
    c.shutdown = new CompletableFuture<>();
    r.stopAndRemove();
    assertThat(c.calls).endsWith("stopping t", "shutdown 10");
  }

  @Test
  void removalWaitsForAPrepareInFlight() {
    Scripted c = new Scripted();
    TaskRunner r = runner(task("t", "n"), c);
    CompletableFuture<Void> removed = r.stopAndRemove();
    assertThat(c.calls).containsExactly("prepare");
    assertThat(removed).isNotDone();
    c.prepare.complete(null); // the container now exists: it must be removed after this
    c.shutdown.complete(null);
    assertThat(c.calls).containsExactly("prepare", "shutdown 10", "remove");
    assertThat(removed).isDone();
    // the prepare outcome of a closed runner reports nothing
    assertThat(reported).extracting(TaskStatus::state).doesNotContain(TaskState.READY);
  }

  @Test
  void failedPrepareIsRejectedAndNothingElseRuns() {
    Scripted c = new Scripted();
    TaskRunner r = runner(task("t", "n"), c);
    c.prepare.completeExceptionally(new io.shoal.agent.exec.ExecutorException.Rejected("No such image: x:1"));
    assertThat(r.status().state()).isEqualTo(TaskState.REJECTED);
    assertThat(r.status().err()).isEqualTo("No such image: x:1");
    assertThat(c.calls).containsExactly("prepare");
  }
}
