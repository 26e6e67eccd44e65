package io.shoal.daemon.swarm;

import io.shoal.api.dispatch.Dispatcher;
import io.shoal.api.dispatch.TaskStatusUpdate;
import io.shoal.api.model.Node;
import java.util.List;
import java.util.function.Supplier;

/**
 * The local agent's way to the dispatcher when this node is the leader: calls go straight to the
 * leader's in-process dispatcher. While there is none (not leader, starting, stopping), every
 * call fails with {@link Dispatcher.SessionExpired} and the agent retries with backoff — its
 * containers keep running meanwhile.
 */
public final class LeaderDispatcher implements Dispatcher {
  private final Supplier<Dispatcher> current;

  public LeaderDispatcher(Supplier<Dispatcher> current) {
    this.current = current;
  }

  private Dispatcher d() {
    Dispatcher d = current.get();
    if (d == null) throw new SessionExpired("no leader dispatcher reachable");
    return d;
  }

  @Override
  public Session register(String nodeId, Node.Description description, String addr) {
    return d().register(nodeId, description, addr);
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
