package io.shoal.executor.process;

import io.shoal.agent.exec.Executor;
import io.shoal.agent.exec.ObservedTask;
import io.shoal.agent.exec.TaskController;
import io.shoal.agent.exec.TaskDependencies;
import io.shoal.api.model.Node;
import io.shoal.api.model.Resources;
import io.shoal.api.model.Task;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Runs each task's {@code Command + Args} as a host process: for machines without a Docker engine,
 * and for tests. The image is ignored.
 *
 * <p>Limits, by design: no isolation and no resource limits; published ports are not mapped —
 * the process must listen on the port itself, and the task reports {@code publishedPort =
 * targetPort}, so at most one replica per target port fits on a node; mounts, secrets, configs,
 * healthchecks, user and hostname are not applied; the stop signal is SIGTERM (SIGKILL when the
 * spec says KILL), then SIGKILL after the grace period. Processes are children of the agent's
 * JVM, so they are <b>not adopted across an agent restart</b>: {@link #existing} only knows this
 * JVM's processes, and the agent's restart starts the tasks afresh.
 *
 * <p>Threading: thread-safe. Output pumps and waits for stops run on the injected {@code blocking}
 * pool (two pumps per running process); grace timers and followed logs on {@code scheduler}.
 */
public final class ProcessExecutor implements Executor {
  private final ProcessExecutorConfig config;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService blocking;
  final Map<String, ProcessTaskController.Slot> slots = new ConcurrentHashMap<>();

  public ProcessExecutor(ProcessExecutorConfig config, Clock clock, ScheduledExecutorService scheduler,
      ExecutorService blocking) {
    this.config = config;
    this.clock = clock;
    this.scheduler = scheduler;
    this.blocking = blocking;
  }

  @Override
  public Node.Description describe() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = config.nodeId();
    }
    long mem = 0;
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      mem = os.getTotalMemorySize();
    }
    return new Node.Description(host,
        new Node.Platform(System.getProperty("os.arch"), System.getProperty("os.name").toLowerCase()),
        new Resources.Limits(Runtime.getRuntime().availableProcessors() * 1_000_000_000L, mem, null, null),
        new Node.Engine("process", Map.of(), null), null);
  }

  @Override
  public TaskController controller(Task task, TaskDependencies deps) {
    return new ProcessTaskController(this, task, config.taskDir().resolve(task.id()), clock, scheduler, blocking);
  }

  @Override
  public List<ObservedTask> existing() {
    List<ObservedTask> out = new ArrayList<>();
    slots.forEach((id, s) -> out.add(s.observe(id)));
    return out;
  }

  @Override
  public CompletableFuture<Void> removeOrphan(ObservedTask orphan) {
    ProcessTaskController.Slot s = slots.remove(orphan.taskId());
    if (s != null) {
      s.kill();
    }
    return CompletableFuture.completedFuture(null);
  }

  /** Kills every process this executor started (the JVM is going away; they would be orphans). */
  @Override
  public void close() {
    slots.values().forEach(ProcessTaskController.Slot::kill);
  }
}
