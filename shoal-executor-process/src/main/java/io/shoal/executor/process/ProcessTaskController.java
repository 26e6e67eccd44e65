package io.shoal.executor.process;

import io.shoal.agent.exec.ExecutorException;
import io.shoal.agent.exec.ExitStatus;
import io.shoal.agent.exec.ObservedTask;
import io.shoal.agent.exec.TaskController;
import io.shoal.api.dispatch.LogLine;
import io.shoal.api.dispatch.LogRequest;
import io.shoal.api.model.ContainerSpec;
import io.shoal.api.model.PortConfig;
import io.shoal.api.model.Task;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One task as a host process; see {@link ProcessExecutor} for what is and is not supported. */
final class ProcessTaskController implements TaskController {
  private static final Logger log = LoggerFactory.getLogger(ProcessTaskController.class);

  private final ProcessExecutor owner;
  private final Task task;
  private final Path dir;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService blocking;

  ProcessTaskController(ProcessExecutor owner, Task task, Path dir, Clock clock,
      ScheduledExecutorService scheduler, ExecutorService blocking) {
    this.owner = owner;
    this.task = task;
    this.dir = dir;
    this.clock = clock;
    this.scheduler = scheduler;
    this.blocking = blocking;
  }

  /** The process of a task (absent until started), shared by its controllers. */
  static final class Slot {
    final OutputLog output;
    final List<PortConfig> ports;
    volatile Process process;
    final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();

    Slot(OutputLog output, List<PortConfig> ports) {
      this.output = output;
      this.ports = ports;
    }

    ObservedTask observe(String taskId) {
      Process p = process;
      if (p == null) {
        return new ObservedTask(taskId, null, ObservedTask.RuntimeState.CREATED, null, null, null, List.of());
      }
      if (p.isAlive()) {
        return new ObservedTask(taskId, "pid-" + p.pid(), ObservedTask.RuntimeState.RUNNING, null,
            (int) p.pid(), null, ports);
      }
      return new ObservedTask(taskId, "pid-" + p.pid(), ObservedTask.RuntimeState.EXITED, p.exitValue(),
          null, null, List.of());
    }

    void kill() {
      Process p = process;
      if (p != null) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
      }
    }
  }

  @Override
  public boolean hasHealthcheck() {
    return false; // not supported by this executor: RUNNING once started
  }

  private List<String> argv() {
    ContainerSpec cs = task.spec().containerSpec();
    List<String> argv = new ArrayList<>();
    if (cs.command() != null) {
      argv.addAll(cs.command());
    }
    if (cs.args() != null) {
      argv.addAll(cs.args());
    }
    return argv;
  }

  @Override
  public CompletableFuture<Void> prepare() {
    return CompletableFuture.runAsync(() -> {
      List<String> argv = argv();
      if (argv.isEmpty()) {
        throw new ExecutorException.Rejected("no command: the process executor runs the service's command and args");
      }
      if (resolve(argv.get(0)) == null) {
        // Docker's wording for the same mistake
        throw new ExecutorException.Rejected("exec: \"" + argv.get(0) + "\": executable file not found in $PATH");
      }
      try {
        Files.createDirectories(dir);
      } catch (IOException e) {
        throw new ExecutorException.Rejected("cannot create " + dir + ": " + e.getMessage(), e);
      }
      owner.slots.computeIfAbsent(task.id(), k -> new Slot(new OutputLog(dir.resolve("output.log"), clock), ports()));
    }, blocking);
  }

  private List<PortConfig> ports() {
    // the process listens on the target port itself: that is where the mesh must forward to
    List<PortConfig> out = new ArrayList<>();
    if (task.endpoint() != null) {
      for (PortConfig p : task.endpoint().portsOrEmpty()) {
        out.add(new PortConfig(p.name(), p.protocolOrDefault(), p.targetPort(), p.targetPort(), p.publishModeOrDefault()));
      }
    }
    return out;
  }

  private static String resolve(String exe) {
    if (exe.contains("/")) {
      return Files.isExecutable(Path.of(exe)) ? exe : null;
    }
    String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
    for (String d : path.split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(d, exe))) {
        return Path.of(d, exe).toString();
      }
    }
    return null;
  }

  private Slot slot() {
    Slot s = owner.slots.get(task.id());
    if (s == null) {
      throw new ExecutorException.NotFound("no process for task " + task.id());
    }
    return s;
  }

  @Override
  public CompletableFuture<Void> start() {
    return CompletableFuture.runAsync(() -> {
      Slot s = slot();
      synchronized (s) {
        if (s.process != null) {
          return; // started already
        }
        ContainerSpec cs = task.spec().containerSpec();
        ProcessBuilder pb = new ProcessBuilder(argv());
        // a container does not inherit the host's environment; keep only what finding programs needs
        Map<String, String> env = pb.environment();
        String path = env.get("PATH");
        env.clear();
        env.put("PATH", path == null ? "/usr/local/bin:/usr/bin:/bin" : path);
        env.put("HOME", dir.toString());
        if (cs.env() != null) {
          for (String e : cs.env()) {
            int eq = e.indexOf('=');
            if (eq > 0) {
              env.put(e.substring(0, eq), e.substring(eq + 1));
            }
          }
        }
        Path wd = cs.dir() != null && !cs.dir().isEmpty() && Files.isDirectory(Path.of(cs.dir())) ? Path.of(cs.dir()) : dir;
        pb.directory(wd.toFile());
        try {
          Process p = pb.start();
          p.getOutputStream().close();
          s.process = p;
          blocking.execute(() -> s.output.pump(p.getInputStream(), 1));
          blocking.execute(() -> s.output.pump(p.getErrorStream(), 2));
          p.onExit().thenAccept(x -> s.exit.complete(new ExitStatus(x.exitValue())));
          log.info("task {}: started pid {}", task.id(), p.pid());
        } catch (IOException e) {
          throw new ExecutorException.Failed("starting container failed: " + e.getMessage(), e);
        }
      }
    }, blocking);
  }

  @Override
  public CompletableFuture<ExitStatus> exit() {
    Slot s = owner.slots.get(task.id());
    if (s == null) {
      return CompletableFuture.failedFuture(new ExecutorException.NotFound("no process for task " + task.id()));
    }
    return s.exit;
  }

  @Override
  public CompletableFuture<Void> shutdown(Duration grace) {
    Slot s = owner.slots.get(task.id());
    Process p = s == null ? null : s.process;
    if (p == null || !p.isAlive()) {
      return CompletableFuture.completedFuture(null);
    }
    String sig = task.spec().containerSpec().stopSignal();
    if (sig != null && (sig.equalsIgnoreCase("SIGKILL") || sig.equalsIgnoreCase("KILL") || sig.equals("9"))) {
      s.kill();
    } else {
      p.descendants().forEach(ProcessHandle::destroy);
      p.destroy(); // SIGTERM
      var timer = scheduler.schedule(s::kill, grace.toNanos(), TimeUnit.NANOSECONDS);
      p.onExit().thenRun(() -> timer.cancel(false));
    }
    return p.onExit().thenApply(x -> null);
  }

  @Override
  public CompletableFuture<Void> terminate() {
    Slot s = owner.slots.get(task.id());
    if (s == null || s.process == null) {
      return CompletableFuture.completedFuture(null);
    }
    s.kill();
    return s.process.onExit().thenApply(x -> null);
  }

  @Override
  public CompletableFuture<Void> remove() {
    return terminate().thenRunAsync(() -> {
      owner.slots.remove(task.id());
      if (Files.exists(dir)) {
        try (Stream<Path> files = Files.walk(dir)) {
          files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
          log.debug("task {}: cleaning {}: {}", task.id(), dir, e.toString());
        }
      }
    }, blocking);
  }

  @Override
  public CompletableFuture<ObservedTask> inspect() {
    Slot s = owner.slots.get(task.id());
    return CompletableFuture.completedFuture(s == null ? ObservedTask.absent(task.id()) : s.observe(task.id()));
  }

  @Override
  public AutoCloseable logs(LogRequest request, Consumer<LogLine> sink, Runnable onEnd) {
    Slot s = owner.slots.get(task.id());
    OutputLog out = s != null ? s.output : new OutputLog(dir.resolve("output.log"), clock);
    return out.stream(task.id(), request, sink, onEnd, scheduler,
        () -> s == null || (s.process != null && !s.process.isAlive()));
  }
}
