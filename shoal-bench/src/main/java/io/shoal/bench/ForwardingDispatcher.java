package io.shoal.bench;

import io.shoal.api.dispatch.Dispatcher;
import io.shoal.api.dispatch.TaskStatusUpdate;
import io.shoal.api.model.Node;
import java.util.List;
import java.util.function.Supplier;

/**
 * What a manager's cluster port serves as dispatcher: the leader services' dispatcher while this
 * manager leads; otherwise the supplier throws "unavailable" and the server adds the leader's
 * address as hint, so the agent's client moves on to the leader.
 */
final class ForwardingDispatcher implements Dispatcher {
  private final Supplier<Dispatcher> current;

  ForwardingDispatcher(Supplier<Dispatcher> current) {
    this.current = current;
  }

  @Override
  public Session register(String nodeId, Node.Description description, String addr) {
    return current.get().register(nodeId, description, addr);
  }

  @Override
  public java.util.concurrent.CompletableFuture<Session> registerAsync(String nodeId, Node.Description description, String addr) {
    Dispatcher d;
    try {
      d = current.get();
    } catch (RuntimeException e) {
      return java.util.concurrent.CompletableFuture.failedFuture(e);
    }
    return d.registerAsync(nodeId, description, addr);
  }

  @Override
  public long heartbeat(String nodeId, String sessionId) {
    return current.get().heartbeat(nodeId, sessionId);
  }

  @Override
  public void updateTaskStatus(String nodeId, String sessionId, List<TaskStatusUpdate> updates) {
    current.get().updateTaskStatus(nodeId, sessionId, updates);
  }

  @Override
  public AutoCloseable assignments(String nodeId, String sessionId, AssignmentListener listener) {
    return current.get().assignments(nodeId, sessionId, listener);
  }
}
