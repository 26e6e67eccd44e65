package io.shoal.rpc;

import io.shoal.api.dispatch.Assignments;
import io.shoal.api.dispatch.Dispatcher;
import io.shoal.api.dispatch.TaskStatusUpdate;
import io.shoal.api.model.Node;
import io.shoal.api.model.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small real dispatcher: sessions per node, heartbeats, status reports kept in order, and
 * assignment streams (full set, then increments pushed by {@link #assign}). Thread-safe.
 */
final class TestDispatcher implements Dispatcher {
  static final long PERIOD = 5_000;

  record Registration(String nodeId, Node.Description description, String addr) {}

  final List<Registration> registrations = new CopyOnWriteArrayList<>();
  final List<TaskStatusUpdate> statuses = new CopyOnWriteArrayList<>();
  final List<String> heartbeats = new CopyOnWriteArrayList<>();
  private final Map<String, String> sessions = new ConcurrentHashMap<>();
  private final Map<String, List<Task>> tasks = new ConcurrentHashMap<>();
  private final Map<String, List<AssignmentListener>> listeners = new ConcurrentHashMap<>();

  @Override
  public Session register(String nodeId, Node.Description description, String addr) {
    registrations.add(new Registration(nodeId, description, addr));
    String sid = UUID.randomUUID().toString();
    sessions.put(nodeId, sid);
    return new Session(sid, PERIOD);
  }

  @Override
  public long heartbeat(String nodeId, String sessionId) {
    check(nodeId, sessionId);
    heartbeats.add(nodeId);
    return PERIOD;
  }

  @Override
  public void updateTaskStatus(String nodeId, String sessionId, List<TaskStatusUpdate> updates) {
    check(nodeId, sessionId);
    statuses.addAll(updates);
  }

  @Override
  public AutoCloseable assignments(String nodeId, String sessionId, AssignmentListener listener) {
    check(nodeId, sessionId);
    synchronized (this) {
      listener.onAssignments(Assignments.full(tasks.getOrDefault(nodeId, List.of()), List.of(), List.of()));
      listeners.computeIfAbsent(nodeId, k -> new CopyOnWriteArrayList<>()).add(listener);
    }
    return () -> listeners.getOrDefault(nodeId, List.of()).remove(listener);
  }

  /** Assigns {@code task} to its node and pushes the increment to open streams. */
  synchronized void assign(Task task) {
    tasks.computeIfAbsent(task.nodeID(), k -> new ArrayList<>()).add(task);
    for (AssignmentListener l : listeners.getOrDefault(task.nodeID(), List.of())) {
      l.onAssignments(Assignments.increment(List.of(task), List.of()));
    }
  }

  /** Ends {@code nodeId}'s session: its streams close with SessionExpired. */
  void expire(String nodeId) {
    sessions.remove(nodeId);
    List<AssignmentListener> ls = listeners.remove(nodeId);
    if (ls != null) {
      ls.forEach(l -> l.onClosed(new SessionExpired("session of " + nodeId + " expired")));
    }
  }

  int openStreamsTotal() {
    return listeners.values().stream().mapToInt(List::size).sum();
  }

  int openStreams(String nodeId) {
    return listeners.getOrDefault(nodeId, List.of()).size();
  }

  private void check(String nodeId, String sessionId) {
    if (sessionId == null || !sessionId.equals(sessions.get(nodeId))) {
      throw new SessionExpired("unknown session " + sessionId + " for node " + nodeId);
    }
  }
}
