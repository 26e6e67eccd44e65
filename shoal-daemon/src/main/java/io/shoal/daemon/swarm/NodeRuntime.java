package io.shoal.daemon.swarm;

import io.shoal.agent.exec.Executor;
import io.shoal.api.dispatch.LogLine;
import io.shoal.api.dispatch.LogRequest;
import io.shoal.api.dispatch.TaskLogs;
import io.shoal.api.error.ShoalException;
import io.shoal.api.model.Node;
import io.shoal.api.model.Task;
import io.shoal.ca.NodeCredentials;
import io.shoal.ca.RootCA;
import io.shoal.daemon.Addresses;
import io.shoal.network.mesh.RoutingMesh;
import io.shoal.rpc.ManagerClient;
import io.shoal.rpc.RemoteDispatcher;
import io.shoal.rpc.RemoteTaskLogs;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Everything a node runs while it is in a swarm, built the same way after init, join or a
 * restart: the cluster port (server and client channels), the manager (if it is one), the agent
 * — which always reaches the leader's dispatcher over the cluster port, even on the leader itself,
 * so a one-node and a hundred-node swarm take the same path — and the routing mesh.
 */
public final class NodeRuntime implements AutoCloseable {
  /** What a node runtime needs from the daemon. */
  public record Context(Path dataRoot, String hostname, String dataPathAddr, Function<String, Executor> executors,
      Clock clock, SecureRandom random) {}

  private final NodeState state;
  private final ClusterRuntime cluster;
  private final ManagerRuntime manager;
  private final AgentRuntime agent;
  private final RoutingMesh mesh;
  private final AutoCloseable meshFeed;
  private final ManagerClient managers;

  private NodeRuntime(Context ctx, NodeState s, NodeCredentials creds, RootCA ca, ManagerRuntime manager) {
    this.state = s;
    this.manager = manager;
    AgentRuntime[] agentRef = new AgentRuntime[1];
    TaskLogs localLogs = (task, req, sink, onEnd) -> {
      AgentRuntime a = agentRef[0];
      if (a == null) throw new ShoalException.Unavailable("this node's agent is not running");
      return a.logs().stream(task, req, sink, onEnd);
    };
    this.cluster = new ClusterRuntime(s.listenAddr(), creds, ca, localLogs,
        // removal is recorded, not inferred from absence: a manager still catching up knows
        // fewer nodes than exist, and must not refuse the ones it has not heard of yet
        manager == null ? id -> false : id -> manager.store().view(tx -> tx.cluster() != null && tx.cluster().removed(id)),
        manager == null ? () -> null : manager::leaderClusterAddr);
    try {
      if (manager != null) {
        cluster.serveManager(new LeaderJoinHandler(manager.store(), manager.raft(), ctx.clock(), ctx.random()),
            new RaftManagerOps(manager.store(), manager.raft()), new LeaderDispatcher(manager::dispatcher),
            new StoreMeshSource(manager.store()));
      }
      this.managers = new ManagerClient(cluster.channels(), s.remoteManagers());
      RemoteDispatcher dispatcher = new RemoteDispatcher(cluster.channels(), s.remoteManagers());
      this.agent = new AgentRuntime(s.nodeID(), s.advertiseAddr(), ctx.hostname(), ctx.dataPathAddr(),
          ctx.dataRoot().resolve("agent"), dispatcher, ctx.executors().apply(s.nodeID()), ctx.clock(), ctx.random());
      agentRef[0] = agent;
      agent.start();
      // published ports listen where the cluster port does: all interfaces by default, as Swarm
      this.mesh = new RoutingMesh(Addresses.host(s.listenAddr()));
      this.meshFeed = manager != null ? new MeshWatcher(manager.store(), mesh, s.nodeID())
          : new RemoteMeshWatcher(managers, mesh);
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  public static NodeRuntime start(Context ctx, NodeState s, NodeCredentials creds, RootCA ca, ManagerRuntime manager) {
    return new NodeRuntime(ctx, s, creds, ca, manager);
  }

  public NodeState state() {
    return state;
  }

  public ManagerRuntime manager() {
    return manager;
  }

  public AgentRuntime agent() {
    return agent;
  }

  public ClusterRuntime cluster() {
    return cluster;
  }

  public ManagerClient managers() {
    return managers;
  }

  /** Logs of a task wherever it runs: from the local agent, or pulled from its node's cluster port. */
  public AutoCloseable logs(Task task, LogRequest req, Consumer<LogLine> sink, Runnable onEnd) {
    if (state.nodeID().equals(task.nodeID())) return agent.logs().stream(task, req, sink, onEnd);
    if (manager == null) throw new ShoalException.NotAManager();
    Node n = manager.store().view(tx -> tx.node(task.nodeID()));
    if (n == null || n.status() == null || n.status().addr() == null) {
      throw new ShoalException.Unavailable("node " + task.nodeID() + " of task " + task.id() + " cannot be reached for logs");
    }
    return RemoteTaskLogs.at(cluster.channels(), n.status().addr()).stream(task, req, sink, onEnd);
  }

  /** Stops everything; with {@code removeTasks} (leaving the swarm) the task containers go too. */
  public void close(boolean removeTasks) {
    quietly(meshFeed);
    mesh.close();
    if (removeTasks) agent.closeAndRemoveTasks();
    else agent.close();
    quietly(cluster);
    if (manager != null) manager.close();
  }

  @Override
  public void close() {
    close(false);
  }

  private static void quietly(AutoCloseable c) {
    try {
      if (c != null) c.close();
    } catch (Exception ignored) {
      // shutting down
    }
  }
}
