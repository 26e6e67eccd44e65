package io.shoal.executor.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.PullResponseItem;
import com.github.dockerjava.api.model.WaitResponse;
import io.shoal.agent.exec.ExecutorException;
import io.shoal.agent.exec.ExitStatus;
import io.shoal.agent.exec.HealthChecks;
import io.shoal.agent.exec.ObservedTask;
import io.shoal.agent.exec.TaskController;
import io.shoal.agent.exec.TaskDependencies;
import io.shoal.agent.exec.TaskNames;
import io.shoal.api.dispatch.LogLine;
import io.shoal.api.dispatch.LogRequest;
import io.shoal.api.model.PortConfig;
import io.shoal.api.model.Task;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One task's container. The container is addressed by its swarm name ({@code
 * <service>.<slot>.<task id>}), which makes every operation idempotent across agent restarts:
 * prepare finds the container an earlier agent created, start accepts a running one.
 *
 * <p>Threading: blocking engine calls run on the executor's {@code blocking} pool; waits and
 * followed logs use docker-java's streaming callbacks.
 */
final class DockerTaskController implements TaskController {
  private static final Logger log = LoggerFactory.getLogger(DockerTaskController.class);

  private final DockerClient docker;
  private final Task task;
  private final TaskDependencies deps;
  private final TaskFiles files;
  private final Executor blocking;
  private final Clock clock;
  private final Duration pullTimeout;
  private final String name;
  private final String ingressIp;
  private final TaskNetworks networks;

  DockerTaskController(DockerClient docker, Task task, TaskDependencies deps, TaskFiles files,
      Executor blocking, Clock clock, Duration pullTimeout, String ingressIp) {
    this(docker, task, deps, files, blocking, clock, pullTimeout, ingressIp, TaskNetworks.NONE);
  }

  DockerTaskController(DockerClient docker, Task task, TaskDependencies deps, TaskFiles files,
      Executor blocking, Clock clock, Duration pullTimeout, String ingressIp, TaskNetworks networks) {
    this.networks = networks;
    this.ingressIp = ingressIp;
    this.docker = docker;
    this.task = task;
    this.deps = deps;
    this.files = files;
    this.blocking = blocking;
    this.clock = clock;
    this.pullTimeout = pullTimeout;
    this.name = TaskNames.containerName(task);
  }

  private <T> CompletableFuture<T> async(Supplier<T> s) {
    return CompletableFuture.supplyAsync(s, blocking);
  }

  @Override
  public boolean hasHealthcheck() {
    return HealthChecks.enabled(task);
  }

  @Override
  public CompletableFuture<Void> prepare() {
    return async(() -> {
      List<TaskNetworks.Attachment> nets = networks.attachments(task);
      try {
        InspectContainerResponse existing = docker.inspectContainerCmd(name).exec();
        connectExtra(existing, nets); // an earlier attempt may have died between create and connect
        return null; // created by an earlier attempt or agent
      } catch (NotFoundException absent) {
        // create it below
      } catch (RuntimeException e) {
        throw EngineErrors.map(e, ExecutorException.Rejected::new);
      }
      String image = task.spec().containerSpec().image();
      ensureImage(image);
      List<com.github.dockerjava.api.model.Mount> extra = files.write(task, deps);
      try {
        CreateContainerCmd cmd = docker.createContainerCmd(image);
        ContainerSpecs.apply(cmd, task, extra, ingressIp, nets);
        cmd.exec();
        log.info("task {}: created container {}", task.id(), name);
        if (nets.size() > 1) {
          connectExtra(docker.inspectContainerCmd(name).exec(), nets);
        }
        return null;
      } catch (ConflictException raced) {
        return null; // same name: another attempt created it
      } catch (NotFoundException e) {
        throw new ExecutorException.Rejected(EngineErrors.message(e), e);
      } catch (RuntimeException e) {
        throw EngineErrors.map(e, ExecutorException.Rejected::new);
      }
    });
  }

  /** Connects the task's networks after the primary one that the container is not on yet, each with its address. */
  private void connectExtra(InspectContainerResponse c, List<TaskNetworks.Attachment> nets) {
    var on = c.getNetworkSettings() == null || c.getNetworkSettings().getNetworks() == null
        ? Map.<String, com.github.dockerjava.api.model.ContainerNetwork>of() : c.getNetworkSettings().getNetworks();
    for (TaskNetworks.Attachment a : nets.subList(Math.min(1, nets.size()), nets.size())) {
      if (on.containsKey(a.engineNetwork())) {
        continue;
      }
      try {
        docker.connectToNetworkCmd().withNetworkId(a.engineNetwork()).withContainerId(c.getId())
            .withContainerNetwork(new com.github.dockerjava.api.model.ContainerNetwork()
                .withIpamConfig(new com.github.dockerjava.api.model.ContainerNetwork.Ipam().withIpv4Address(a.address()))
                .withMacAddress(a.mac()))
            .exec();
      } catch (RuntimeException e) {
        throw EngineErrors.map(e, m -> new ExecutorException.Rejected("connecting network " + a.engineNetwork() + ": " + m));
      }
    }
  }

  /**
   * No registry may be reachable: an image present locally is used as is, a missing one is pulled
   * once (bounded by the pull timeout); if that fails, creating the container reports the engine's
   * "No such image" which the task is rejected with, as in Docker Swarm.
   */
  private void ensureImage(String image) {
    try {
      docker.inspectImageCmd(image).exec();
      return;
    } catch (NotFoundException missing) {
      // try a pull below
    } catch (RuntimeException e) {
      throw EngineErrors.map(e, ExecutorException.Rejected::new);
    }
    // our own callback: docker-java's default one logs an expected pull failure as an ERROR
    var cb = new ResultCallback.Adapter<PullResponseItem>() {
      volatile Throwable failure;

      @Override
      public void onError(Throwable t) {
        failure = t;
        try {
          close();
        } catch (java.io.IOException ignored) {
          // closing a finished stream
        }
      }
    };
    try {
      boolean done = docker.pullImageCmd(image).exec(cb).awaitCompletion(pullTimeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!done) {
        log.warn("task {}: pulling {} timed out after {}", task.id(), image, pullTimeout);
        cb.close();
      } else if (cb.failure != null) {
        log.info("task {}: pulling {} failed: {}", task.id(), image, EngineErrors.message(cb.failure));
      }
    } catch (java.io.IOException ignored) {
      // closing the abandoned pull
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.info("task {}: pulling {} failed: {}", task.id(), image, EngineErrors.message(e));
    }
  }

  @Override
  public CompletableFuture<Void> start() {
    return async(() -> {
      try {
        docker.startContainerCmd(name).exec();
      } catch (NotModifiedException alreadyRunning) {
        // started by an earlier attempt
      } catch (RuntimeException e) {
        throw EngineErrors.map(e, m -> new ExecutorException.Failed("starting container failed: " + m));
      }
      return null;
    });
  }

  @Override
  public CompletableFuture<ExitStatus> exit() {
    CompletableFuture<ExitStatus> f = new CompletableFuture<>();
    try {
      docker.waitContainerCmd(name).exec(new ResultCallback.Adapter<WaitResponse>() {
        @Override
        public void onNext(WaitResponse r) {
          f.complete(new ExitStatus(r.getStatusCode() == null ? 0 : r.getStatusCode()));
        }

        @Override
        public void onError(Throwable t) {
          f.completeExceptionally(t instanceof RuntimeException re
              ? EngineErrors.map(re, ExecutorException.Failed::new) : t);
        }

        @Override
        public void onComplete() {
          if (!f.isDone()) {
            // the stream ended without a code (engine restarted?): ask once more
            inspect().whenComplete((o, err) -> {
              if (err == null && o.state() == ObservedTask.RuntimeState.EXITED) {
                f.complete(new ExitStatus(o.exitCode() == null ? 0 : o.exitCode()));
              } else {
                f.completeExceptionally(new ExecutorException.Unavailable("wait for " + name + " ended early", err));
              }
            });
          }
        }
      });
    } catch (RuntimeException e) {
      f.completeExceptionally(EngineErrors.map(e, ExecutorException.Failed::new));
    }
    return f;
  }

  @Override
  public CompletableFuture<Void> shutdown(Duration grace) {
    return async(() -> {
      try {
        // the container was created with the spec's StopSignal; stop sends it, then SIGKILL
        docker.stopContainerCmd(name).withTimeout((int) Math.max(0, (grace.toMillis() + 999) / 1000)).exec();
      } catch (NotModifiedException | NotFoundException nothingToStop) {
        // stopped already, or never created
      } catch (RuntimeException e) {
        throw EngineErrors.map(e, ExecutorException.Failed::new);
      }
      return null;
    });
  }

  @Override
  public CompletableFuture<Void> terminate() {
    return async(() -> {
      try {
        docker.killContainerCmd(name).exec();
      } catch (NotFoundException | ConflictException notRunning) {
        // nothing to kill
      } catch (RuntimeException e) {
        throw EngineErrors.map(e, ExecutorException.Failed::new);
      }
      return null;
    });
  }

  @Override
  public CompletableFuture<Void> remove() {
    return async(() -> {
      try {
        docker.removeContainerCmd(name).withForce(true).withRemoveVolumes(true).exec();
        log.info("task {}: removed container {}", task.id(), name);
      } catch (NotFoundException gone) {
        // removed already
      } catch (RuntimeException e) {
        throw EngineErrors.map(e, ExecutorException.Failed::new);
      }
      files.delete(task.id());
      return null;
    });
  }

  @Override
  public CompletableFuture<ObservedTask> inspect() {
    return async(() -> {
      try {
        return observe(task.id(), docker.inspectContainerCmd(name).exec(), ContainerSpecs.ports(task), ingressIp);
      } catch (NotFoundException absent) {
        return ObservedTask.absent(task.id());
      } catch (RuntimeException e) {
        throw EngineErrors.map(e, ExecutorException.Failed::new);
      }
    });
  }

  @Override
  public AutoCloseable logs(LogRequest request, Consumer<LogLine> sink, Runnable onEnd) {
    try {
      return DockerLogs.stream(docker, clock, name, task.id(), request, sink, onEnd);
    } catch (NotFoundException e) {
      throw new ExecutorException.NotFound(EngineErrors.message(e));
    } catch (RuntimeException e) {
      throw EngineErrors.map(e, ExecutorException.Failed::new);
    }
  }

  /** What an inspect says, in the agent's terms; ports as bound for the requested ones. */
  static ObservedTask observe(String taskId, InspectContainerResponse r, List<PortConfig> requested) {
    return observe(taskId, r, requested, ContainerSpecs.INGRESS_BIND_IP);
  }

  static ObservedTask observe(String taskId, InspectContainerResponse r, List<PortConfig> requested, String ingressIp) {
    var st = r.getState();
    String status = st == null || st.getStatus() == null ? "" : st.getStatus();
    ObservedTask.RuntimeState state = switch (status) {
      case "created" -> ObservedTask.RuntimeState.CREATED;
      case "running", "paused", "restarting" -> ObservedTask.RuntimeState.RUNNING;
      default -> ObservedTask.RuntimeState.EXITED; // exited, dead, removing
    };
    ObservedTask.Health health = ObservedTask.Health.NONE;
    if (st != null && st.getHealth() != null && st.getHealth().getStatus() != null) {
      health = switch (st.getHealth().getStatus()) {
        case "healthy" -> ObservedTask.Health.HEALTHY;
        case "unhealthy" -> ObservedTask.Health.UNHEALTHY;
        default -> ObservedTask.Health.STARTING;
      };
    }
    Integer exit = state == ObservedTask.RuntimeState.EXITED && st != null ? st.getExitCode() : null;
    Integer pid = state == ObservedTask.RuntimeState.RUNNING && st != null ? st.getPid() : null;
    List<PortConfig> bound = new ArrayList<>();
    Map<ExposedPort, Ports.Binding[]> bindings = r.getNetworkSettings() == null
        || r.getNetworkSettings().getPorts() == null ? Map.of() : r.getNetworkSettings().getPorts().getBindings();
    if (requested == null) {
      // no spec at hand (listing at agent start): report every binding, mode by its address
      List<PortConfig> all = new ArrayList<>();
      bindings.forEach((e, bs) -> {
        if (bs != null && bs.length > 0) {
          String ip = bs[0].getHostIp() == null ? "" : bs[0].getHostIp();
          all.add(new PortConfig(null, e.getProtocol().toString(), e.getPort(), null,
              ingressIp.equals(ip) ? PortConfig.INGRESS : PortConfig.HOST));
        }
      });
      requested = all;
    }
    for (PortConfig p : requested) {
      Ports.Binding[] bs = bindings.get(ContainerSpecs.exposedPort(p));
      if (bs == null) {
        continue;
      }
      for (Ports.Binding b : bs) {
        String ip = b.getHostIp() == null ? "" : b.getHostIp();
        if (ip.contains(":") || b.getHostPortSpec() == null || b.getHostPortSpec().isEmpty()) {
          continue; // the IPv6 twin of an IPv4 binding
        }
        bound.add(new PortConfig(p.name(), p.protocolOrDefault(), p.targetPort(),
            Integer.parseInt(b.getHostPortSpec()), p.publishModeOrDefault()));
        break;
      }
    }
    return new ObservedTask(taskId, r.getId(), state, exit, pid, health, bound);
  }
}
