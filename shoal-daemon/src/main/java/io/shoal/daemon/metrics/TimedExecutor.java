package io.shoal.daemon.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.shoal.agent.exec.ExitStatus;
import io.shoal.agent.exec.Executor;
import io.shoal.agent.exec.ObservedTask;
import io.shoal.agent.exec.TaskController;
import io.shoal.agent.exec.TaskDependencies;
import io.shoal.api.dispatch.LogLine;
import io.shoal.api.dispatch.LogRequest;
import io.shoal.api.model.Node;
import io.shoal.api.model.Task;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * An {@link Executor} that times every call it makes to the engine
 * ({@code shoal_agent_engine_call_seconds{call, outcome}}) and otherwise passes everything through.
 * Waiting for a task to exit is not an engine call and is not timed. Labels are the call's name and
 * ok/error: never a task or container id. Every other method, defaults included, is forwarded:
 * a default left to the interface would silently cut the executor off (the overlay data path
 * hangs off {@code onNetworkView}).
 *
 * <p>Threading: as the wrapped executor's; the timers are thread-safe.
 */
public final class TimedExecutor implements Executor {
  static final String METRIC = "shoal.agent.engine.call";
  private final Executor delegate;
  private final MeterRegistry registry;

  public TimedExecutor(Executor delegate, MeterRegistry registry) {
    this.delegate = delegate;
    this.registry = registry;
  }

  private Timer timer(String call, boolean ok) {
    return Timer.builder(METRIC).description("Calls from the agent to its container engine")
        .tags("call", call, "outcome", ok ? "ok" : "error").serviceLevelObjectives(Buckets.LATENCY).register(registry);
  }

  private <T> T timedSync(String call, Supplier<T> fn) {
    long start = System.nanoTime();
    boolean ok = false;
    try {
      T out = fn.get();
      ok = true;
      return out;
    } finally {
      timer(call, ok).record(Duration.ofNanos(System.nanoTime() - start));
    }
  }

  private <T> CompletableFuture<T> timed(String call, Supplier<CompletableFuture<T>> fn) {
    long start = System.nanoTime();
    CompletableFuture<T> f;
    try {
      f = fn.get();
    } catch (RuntimeException e) {
      timer(call, false).record(Duration.ofNanos(System.nanoTime() - start));
      throw e;
    }
    return f.whenComplete((v, e) -> timer(call, e == null).record(Duration.ofNanos(System.nanoTime() - start)));
  }

  @Override
  public Node.Description describe() {
    return timedSync("describe", delegate::describe);
  }

  @Override
  public TaskController controller(Task task, TaskDependencies deps) {
    return new TimedController(delegate.controller(task, deps));
  }

  @Override
  public List<ObservedTask> existing() {
    return timedSync("list", delegate::existing);
  }

  @Override
  public CompletableFuture<Void> removeOrphan(ObservedTask orphan) {
    return timed("remove_orphan", () -> delegate.removeOrphan(orphan));
  }

  @Override
  public void onNetworkView(io.shoal.api.net.NodeNetworkView view) {
    delegate.onNetworkView(view);
  }

  @Override
  public void leaveNetworks() {
    delegate.leaveNetworks();
  }

  @Override
  public void close() {
    delegate.close();
  }

  private final class TimedController implements TaskController {
    private final TaskController c;

    TimedController(TaskController c) {
      this.c = c;
    }

    @Override
    public CompletableFuture<Void> prepare() {
      return timed("prepare", c::prepare);
    }

    @Override
    public CompletableFuture<Void> start() {
      return timed("start", c::start);
    }

    @Override
    public CompletableFuture<ExitStatus> exit() {
      return c.exit(); // waits for the task to end: not an engine call's latency
    }

    @Override
    public CompletableFuture<Void> shutdown(Duration grace) {
      return timed("shutdown", () -> c.shutdown(grace));
    }

    @Override
    public CompletableFuture<Void> terminate() {
      return timed("terminate", c::terminate);
    }

    @Override
    public CompletableFuture<Void> remove() {
      return timed("remove", c::remove);
    }

    @Override
    public CompletableFuture<ObservedTask> inspect() {
      return timed("inspect", c::inspect);
    }

    @Override
    public AutoCloseable logs(LogRequest request, Consumer<LogLine> sink, Runnable onEnd) {
      return c.logs(request, sink, onEnd);
    }

    @Override
    public boolean hasHealthcheck() {
      return c.hasHealthcheck();
    }
  }
}
