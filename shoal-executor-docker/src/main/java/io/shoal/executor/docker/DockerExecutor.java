package io.shoal.executor.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.shoal.agent.exec.Executor;
import io.shoal.agent.exec.ExecutorException;
import io.shoal.agent.exec.ObservedTask;
import io.shoal.agent.exec.TaskController;
import io.shoal.agent.exec.TaskDependencies;
import io.shoal.agent.exec.TaskNames;
import io.shoal.api.model.Node;
import io.shoal.api.model.Resources;
import io.shoal.api.model.Task;
import io.shoal.api.net.NodeNetworkView;
import io.shoal.network.overlay.OverlayDataPath;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks as containers of a Docker engine (docker-java, zerodep transport). Containers are
 * named and labelled as Docker swarm names them ({@link TaskNames}), so a restarted agent finds
 * them through {@link #existing} and adopts them.
 *
 * <p>Threading: thread-safe. Blocking engine calls of controllers run on the injected {@code
 * blocking} pool (size it for the number of concurrent stops: each stop holds a thread for up to
 * the grace period); {@link #describe} and {@link #existing} block the caller.
 */
public final class DockerExecutor implements Executor {
  private static final Logger log = LoggerFactory.getLogger(DockerExecutor.class);

  private final DockerClient docker;
  private final DockerExecutorConfig config;
  private final Clock clock;
  private final ExecutorService blocking;
  private final TaskFiles files;
  private volatile TaskNetworks networks = TaskNetworks.NONE;
  private volatile OverlayDataPath dataPath;

  public DockerExecutor(DockerExecutorConfig config, Clock clock, ExecutorService blocking) {
    this(client(config.engineHost()), config, clock, blocking);
  }

  public DockerExecutor(DockerClient docker, DockerExecutorConfig config, Clock clock, ExecutorService blocking) {
    this.docker = docker;
    this.config = config;
    this.clock = clock;
    this.blocking = blocking;
    this.files = new TaskFiles(config.taskDir(), config.nodeId());
  }

  /**
   * Gives this executor the node's overlay data path: it is fed the node's network views, task
   * containers are plugged into its networks, and it is started here and closed with the executor.
   */
  public DockerExecutor withDataPath(OverlayDataPath dp, java.time.Duration attachTimeout) {
    this.dataPath = dp;
    this.networks = new OverlayTaskNetworks(dp, attachTimeout);
    dp.start();
    return this;
  }

  /** The engine shell the data path uses on this executor's engine. */
  public DockerEngineNetworks engineNetworks() {
    return new DockerEngineNetworks(docker);
  }

  @Override
  public void onNetworkView(NodeNetworkView view) {
    OverlayDataPath dp = dataPath;
    if (dp != null) {
      dp.onViewAwaitingNew(view, java.time.Duration.ofSeconds(30));
    }
  }

  @Override
  public void leaveNetworks() {
    OverlayDataPath dp = dataPath;
    if (dp == null) {
      return;
    }
    NodeNetworkView v = dp.view();
    String node = v == null ? config.nodeId() : v.nodeId();
    dp.onView(new NodeNetworkView(Long.MAX_VALUE, node, List.of(), List.of(), List.of(), List.of()));
    try {
      dp.reconcileNow();
    } catch (IOException e) {
      log.warn("removing this node's overlay networks on leave: {}", e.toString());
    }
  }

  /** Where task containers are plugged in from now on (the node's overlay data path). */
  public DockerExecutor withNetworks(TaskNetworks n) {
    this.networks = n == null ? TaskNetworks.NONE : n;
    return this;
  }

  /** A docker-java client for {@code host} over the zero-dependency transport. */
  public static DockerClient client(String host) {
    var cfg = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host).build();
    var http = new ZerodepDockerHttpClient.Builder().dockerHost(URI.create(host))
        .maxConnections(200).connectionTimeout(Duration.ofSeconds(5)).build();
    return DockerClientImpl.getInstance(cfg, http);
  }

  /** The client, for tests and diagnostics. */
  public DockerClient docker() {
    return docker;
  }

  @Override
  public Node.Description describe() {
    try {
      Info info = docker.infoCmd().exec();
      Map<String, String> labels = new HashMap<>();
      if (info.getLabels() != null) {
        for (String l : info.getLabels()) {
          int eq = l.indexOf('=');
          labels.put(eq < 0 ? l : l.substring(0, eq), eq < 0 ? "" : l.substring(eq + 1));
        }
      }
      long cpus = info.getNCPU() == null ? 0 : info.getNCPU() * 1_000_000_000L;
      return new Node.Description(info.getName(),
          new Node.Platform(info.getArchitecture(), info.getOsType()),
          new Resources.Limits(cpus, info.getMemTotal(), null, null),
          new Node.Engine(info.getServerVersion(), labels, null), null);
    } catch (RuntimeException e) {
      throw EngineErrors.map(e, ExecutorException.Failed::new);
    }
  }

  @Override
  public TaskController controller(Task task, TaskDependencies deps) {
    return new DockerTaskController(docker, task, deps, files, blocking, clock, config.pullTimeout(), config.ingressBindIp(), networks);
  }

  @Override
  public List<ObservedTask> existing() {
    try {
      List<Container> found = docker.listContainersCmd().withShowAll(true)
          .withLabelFilter(Map.of(TaskNames.LABEL_NODE_ID, config.nodeId())).exec();
      List<ObservedTask> out = new ArrayList<>();
      for (Container c : found) {
        String taskId = c.getLabels() == null ? null : c.getLabels().get(TaskNames.LABEL_TASK_ID);
        if (taskId == null) {
          continue;
        }
        try {
          out.add(DockerTaskController.observe(taskId, docker.inspectContainerCmd(c.getId()).exec(), null, config.ingressBindIp()));
        } catch (NotFoundException gone) {
          // removed between list and inspect
        }
      }
      return out;
    } catch (RuntimeException e) {
      throw EngineErrors.map(e, ExecutorException.Failed::new);
    }
  }

  @Override
  public CompletableFuture<Void> removeOrphan(ObservedTask orphan) {
    return CompletableFuture.runAsync(() -> {
      try {
        docker.removeContainerCmd(orphan.containerId()).withForce(true).withRemoveVolumes(true).exec();
        log.info("removed container {} of unassigned task {}", orphan.containerId(), orphan.taskId());
      } catch (NotFoundException gone) {
        // already gone
      } catch (RuntimeException e) {
        throw EngineErrors.map(e, ExecutorException.Failed::new);
      }
      files.delete(orphan.taskId());
    }, blocking);
  }

  /** Closes the engine client; containers keep running. The blocking pool is the caller's. */
  @Override
  public void close() {
    OverlayDataPath dp = dataPath;
    if (dp != null) {
      dp.close();
    }
    files.releaseMemory();
    try {
      docker.close();
    } catch (IOException e) {
      log.debug("closing docker client: {}", e.toString());
    }
  }
}
