package io.shoal.agent.exec;

import io.shoal.api.dispatch.LogLine;
import io.shoal.api.dispatch.LogRequest;
import io.shoal.api.model.Node;
import io.shoal.api.model.Resources;
import io.shoal.api.model.Task;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * An executor that runs nothing: each task walks its states as if a container ran, after a
 * configurable start latency. For tests and scale benchmarks (many hollow nodes in one JVM).
 *
 * <p>Scripted behaviour, read from the task's spec so tests need no extra wiring: an image whose
 * name starts with {@code missing/} is rejected at prepare with Docker's "No such image" message;
 * a command {@code ["exit", "N"]} exits with code N right after start. Otherwise the task runs
 * until it is shut down (exit code 0 then; 137 after {@link TaskController#terminate}).
 *
 * <p>Thread-safe; timers run on the injected scheduler, which the caller owns.
 */
public final class HollowExecutor implements Executor {
  private final String hostname;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final Duration startLatency;
  private final Map<String, HollowTask> tasks = new ConcurrentHashMap<>();

  public HollowExecutor(String hostname, Clock clock, ScheduledExecutorService scheduler, Duration startLatency) {
    this.hostname = hostname;
    this.clock = clock;
    this.scheduler = scheduler;
    this.startLatency = startLatency;
  }

  @Override
  public Node.Description describe() {
    return new Node.Description(hostname, new Node.Platform("x86_64", "linux"),
        new Resources.Limits(4_000_000_000L, 8L << 30, null, null),
        new Node.Engine("hollow", Map.of(), null), null);
  }

  @Override
  public TaskController controller(Task task, TaskDependencies deps) {
    return new Controller(task);
  }

  @Override
  public List<ObservedTask> existing() {
    List<ObservedTask> out = new ArrayList<>();
    tasks.values().forEach(t -> out.add(t.observe()));
    return out;
  }

  @Override
  public CompletableFuture<Void> removeOrphan(ObservedTask orphan) {
    HollowTask h = tasks.remove(orphan.taskId());
    if (h != null) {
      h.exited(137);
    }
    return CompletableFuture.completedFuture(null);
  }

  /** How many hollow tasks currently exist (created and not removed), for tests. */
  public int count() {
    return tasks.size();
  }

  /** The simulated container of one task. Guarded by its own monitor. */
  private final class HollowTask {
    final String taskId;
    ObservedTask.RuntimeState state = ObservedTask.RuntimeState.CREATED;
    Integer exitCode;
    final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
    final List<String> output = new ArrayList<>();

    HollowTask(String taskId) {
      this.taskId = taskId;
    }

    synchronized ObservedTask observe() {
      return new ObservedTask(taskId, "hollow-" + taskId, state, exitCode, null,
          ObservedTask.Health.NONE, List.of());
    }

    void exited(int code) {
      synchronized (this) {
        if (state == ObservedTask.RuntimeState.EXITED) {
          return;
        }
        state = ObservedTask.RuntimeState.EXITED;
        exitCode = code;
      }
      exit.complete(new ExitStatus(code));
    }
  }

  private final class Controller implements TaskController {
    private final Task task;

    Controller(Task task) {
      this.task = task;
    }

    private HollowTask existing() {
      HollowTask h = tasks.get(task.id());
      if (h == null) {
        throw new ExecutorException.NotFound("No such container: hollow-" + task.id());
      }
      return h;
    }

    @Override
    public CompletableFuture<Void> prepare() {
      String image = task.spec().containerSpec().image();
      if (image != null && image.startsWith("missing/")) {
        return CompletableFuture.failedFuture(new ExecutorException.Rejected("No such image: " + image));
      }
      tasks.computeIfAbsent(task.id(), HollowTask::new);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> start() {
      CompletableFuture<Void> done = new CompletableFuture<>();
      Runnable go = () -> {
        try {
          HollowTask h = existing();
          synchronized (h) {
            if (h.state == ObservedTask.RuntimeState.CREATED) {
              h.state = ObservedTask.RuntimeState.RUNNING;
              h.output.add(clock.instant() + " started " + task.id());
            }
          }
          List<String> cmd = task.spec().containerSpec().command();
          if (cmd != null && cmd.size() == 2 && "exit".equals(cmd.get(0))) {
            h.exited(Integer.parseInt(cmd.get(1)));
          }
          done.complete(null);
        } catch (RuntimeException e) {
          done.completeExceptionally(e);
        }
      };
      if (startLatency.isZero()) {
        go.run();
      } else {
        scheduler.schedule(go, startLatency.toNanos(), TimeUnit.NANOSECONDS);
      }
      return done;
    }

    @Override
    public CompletableFuture<ExitStatus> exit() {
      HollowTask h = tasks.get(task.id());
      return h == null
          ? CompletableFuture.failedFuture(new ExecutorException.NotFound("No such container: hollow-" + task.id()))
          : h.exit;
    }

    @Override
    public CompletableFuture<Void> shutdown(Duration grace) {
      HollowTask h = tasks.get(task.id());
      if (h != null) {
        h.exited(0);
      }
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> terminate() {
      HollowTask h = tasks.get(task.id());
      if (h != null) {
        h.exited(137);
      }
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> remove() {
      HollowTask h = tasks.remove(task.id());
      if (h != null) {
        h.exited(137);
      }
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<ObservedTask> inspect() {
      HollowTask h = tasks.get(task.id());
      return CompletableFuture.completedFuture(h == null ? ObservedTask.absent(task.id()) : h.observe());
    }

    @Override
    public AutoCloseable logs(LogRequest request, Consumer<LogLine> sink, Runnable onEnd) {
      HollowTask h = tasks.get(task.id());
      List<String> lines;
      if (h == null) {
        lines = List.of();
      } else {
        synchronized (h) {
          lines = List.copyOf(h.output);
        }
      }
      if (request.stdout()) {
        lines.forEach(l -> sink.accept(new LogLine(task.id(), 1, clock.instant(),
            (l + "\n").getBytes(StandardCharsets.UTF_8))));
      }
      onEnd.run();
      return () -> {};
    }

    @Override
    public boolean hasHealthcheck() {
      return false;
    }
  }
}
