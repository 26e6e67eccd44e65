package io.shoal.daemon.swarm;

import io.shoal.agent.Agent;
import io.shoal.agent.AgentConfig;
import io.shoal.agent.exec.Executor;
import io.shoal.agent.exec.ObservedTask;
import io.shoal.api.dispatch.Dispatcher;
import io.shoal.api.dispatch.TaskLogs;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker side of this node: the agent, its executor and its threads. Closing it leaves the
 * containers running (a restarted agent adopts them); {@link #removeAllTasks} is for leaving
 * the swarm, where Docker removes the node's task containers.
 */
public final class AgentRuntime implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AgentRuntime.class);
  private final Executor executor;
  private final Agent agent;
  private final ScheduledExecutorService scheduler;

  /**
   * @param hostname the node's host name as configured ({@code --hostname}); it replaces what the
   *     executor reports, so {@code node ls} shows the name the operator chose
   */
  public AgentRuntime(String nodeId, String addr, String hostname, String dataPathAddr, Path dataDir,
      Dispatcher dispatcher, Executor executor, Clock clock, RandomGenerator random) {
    this.executor = new NamedExecutor(executor, hostname, dataPathAddr);
    this.scheduler = Executors.newScheduledThreadPool(2, r -> {
      Thread t = new Thread(r, "shoal-agent");
      t.setDaemon(true);
      return t;
    });
    this.agent = new Agent(AgentConfig.defaults(nodeId, addr, dataDir), dispatcher, this.executor, clock, random, scheduler);
  }

  public void start() {
    agent.start();
  }

  public Agent agent() {
    return agent;
  }

  public TaskLogs logs() {
    return agent;
  }

  public Executor executor() {
    return executor;
  }

  /** This node's network view, for the executor's overlay data path (a NetworkViewListener). */
  public void onNetworkView(io.shoal.api.net.NodeNetworkView view) {
    executor.onNetworkView(view);
  }

  /** Stops the agent, removes every task container this node has, then closes (swarm leave). */
  public void closeAndRemoveTasks() {
    agent.close();
    removeAllTasks();
    executor.leaveNetworks();
    scheduler.shutdownNow();
    executor.close();
  }

  private void removeAllTasks() {
    for (ObservedTask o : executor.existing()) {
      try {
        executor.removeOrphan(o).get(60, TimeUnit.SECONDS);
      } catch (Exception e) {
        log.warn("could not remove task {} on leave: {}", o, e.toString());
      }
    }
  }

  @Override
  public void close() {
    agent.close();
    scheduler.shutdownNow();
    executor.close();
  }
}
