package io.shoal.daemon.swarm;

import io.shoal.api.dispatch.Dispatcher;
import io.shoal.api.dispatch.TaskStatusUpdate;
import io.shoal.api.model.Node;
import java.util.List;
import java.util.function.Supplier;

/**
 * The dispatcher a manager serves on the cluster port: the leader's in-process dispatcher while
 * this manager leads. Otherwise every call fails with NotLeader; the server attaches the leader's
 * address and agents move there. Containers keep running meanwhile.
 */
public final class LeaderDispatcher implements Dispatcher {
  private final Supplier<Dispatcher> current;

  public LeaderDispatcher(Supplier<Dispatcher> current) {
    this.current = current;
  }

  private Dispatcher d() {
    Dispatcher d = current.get();
    if (d == null) throw new io.shoal.api.error.ShoalException.NotLeader("this manager is not the leader");
    return d;
  }

  @Override
  public Session register(String nodeId, Node.Description description, String addr) {
    return d().register(nodeId, description, addr);
  }

  @Override
  public java.util.concurrent.CompletableFuture<Session> registerAsync(String nodeId, Node.Description description, String addr) {
    Dispatcher d;
    try {
      d = d();
    } catch (RuntimeException e) {
      return java.util.concurrent.CompletableFuture.failedFuture(e);
    }
    return d.registerAsync(nodeId, description, addr);
  }

  @Override
  public long heartbeat(String nodeId, String sessionId) {
    return d().heartbeat(nodeId, sessionId);
  }

  @Override
  public void updateTaskStatus(String nodeId, String sessionId, List<TaskStatusUpdate> updates) {
    d().updateTaskStatus(nodeId, sessionId, updates);
  }

  @Override
  public AutoCloseable assignments(String nodeId, String sessionId, AssignmentListener listener) {
    return d().assignments(nodeId, sessionId, listener);
  }
}
