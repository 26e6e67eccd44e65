package io.shoal.testkit;

import io.shoal.api.dispatch.Assignments;
import io.shoal.api.dispatch.Dispatcher;
import io.shoal.api.dispatch.TaskStatusUpdate;
import io.shoal.api.model.Config;
import io.shoal.api.model.Node;
import io.shoal.api.model.Secret;
import io.shoal.api.model.Task;
import io.shoal.api.model.TaskStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real, in-memory {@link Dispatcher} for tests of agents: it keeps sessions, per-node
 * assignments and every status batch it receives, and can be made unreachable or expire sessions
 * to exercise an agent's reconnection. Not a mock: it enforces the contract (unknown session →
 * {@link Dispatcher.SessionExpired}; a full set first on subscription).
 *
 * <p>Thread-safe (one monitor). Listeners are called synchronously from the test's thread
 * ({@link #assign}) or the subscribing agent's thread; agents must hand them over anyway.
 */
public final class RecordingDispatcher implements Dispatcher {
  private final long heartbeatMillis;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<String, String> sessions = new LinkedHashMap<>(); // session -> node
  private final Map<String, List<AssignmentListener>> listeners = new LinkedHashMap<>();
  private final Map<String, Map<String, Task>> assigned = new LinkedHashMap<>();
  private final Map<String, List<Secret>> secrets = new LinkedHashMap<>();
  private final Map<String, List<Config>> configs = new LinkedHashMap<>();
  private final List<TaskStatusUpdate> updates = new ArrayList<>();
  private final List<Integer> batchSizes = new ArrayList<>();
  private final Map<String, Node.Description> registered = new LinkedHashMap<>();
  private int registrations;
  private int heartbeats;
  private boolean reachable = true;

  public RecordingDispatcher(long heartbeatMillis) {
    this.heartbeatMillis = heartbeatMillis;
  }

  @Override
  public synchronized Session register(String nodeId, Node.Description description, String addr) {
    checkReachable();
    registrations++;
    registered.put(nodeId, description);
    String sid = "session-" + ids.incrementAndGet();
    sessions.put(sid, nodeId);
    return new Session(sid, heartbeatMillis);
  }

  @Override
  public synchronized long heartbeat(String nodeId, String sessionId) {
    checkSession(nodeId, sessionId);
    heartbeats++;
    return heartbeatMillis;
  }

  @Override
  public synchronized void updateTaskStatus(String nodeId, String sessionId, List<TaskStatusUpdate> batch) {
    checkSession(nodeId, sessionId);
    updates.addAll(batch);
    batchSizes.add(batch.size());
  }

  @Override
  public AutoCloseable assignments(String nodeId, String sessionId, AssignmentListener listener) {
    Assignments first;
    synchronized (this) {
      checkSession(nodeId, sessionId);
      listeners.computeIfAbsent(nodeId, k -> new ArrayList<>()).add(listener);
      first = Assignments.full(List.copyOf(assigned.getOrDefault(nodeId, Map.of()).values()),
          secrets.getOrDefault(nodeId, List.of()), configs.getOrDefault(nodeId, List.of()));
    }
    listener.onAssignments(first);
    return () -> {
      synchronized (this) {
        listeners.getOrDefault(nodeId, new ArrayList<>()).remove(listener);
      }
    };
  }

  /** Replaces what {@code nodeId} runs and sends the full set to its subscribers. */
  public void assign(String nodeId, List<Task> tasks, List<Secret> s, List<Config> c) {
    List<AssignmentListener> ls;
    synchronized (this) {
      Map<String, Task> m = new LinkedHashMap<>();
      tasks.forEach(t -> m.put(t.id(), t));
      assigned.put(nodeId, m);
      secrets.put(nodeId, List.copyOf(s));
      configs.put(nodeId, List.copyOf(c));
      ls = List.copyOf(listeners.getOrDefault(nodeId, List.of()));
    }
    Assignments a = Assignments.full(tasks, s, c);
    ls.forEach(l -> l.onAssignments(a));
  }

  /** Sends an increment: {@code changed} tasks added or updated, {@code removed} ids gone. */
  public void increment(String nodeId, List<Task> changed, List<String> removed) {
    List<AssignmentListener> ls;
    synchronized (this) {
      Map<String, Task> m = assigned.computeIfAbsent(nodeId, k -> new LinkedHashMap<>());
      removed.forEach(m::remove);
      changed.forEach(t -> m.put(t.id(), t));
      ls = List.copyOf(listeners.getOrDefault(nodeId, List.of()));
    }
    Assignments a = Assignments.increment(changed, removed);
    ls.forEach(l -> l.onAssignments(a));
  }

  /** Drops every session; subscribers are told their stream closed. */
  public void expireSessions() {
    List<AssignmentListener> ls = new ArrayList<>();
    synchronized (this) {
      sessions.clear();
      listeners.values().forEach(ls::addAll);
      listeners.clear();
    }
    ls.forEach(l -> l.onClosed(new SessionExpired("session expired")));
  }

  /** While unreachable every call fails as a lost connection would. */
  public synchronized void setReachable(boolean r) {
    reachable = r;
    if (!r) {
      sessions.clear();
    }
  }

  /** All statuses received for {@code taskId}, oldest first. */
  public synchronized List<TaskStatus> statuses(String taskId) {
    return updates.stream().filter(u -> u.taskId().equals(taskId)).map(TaskStatusUpdate::status).toList();
  }

  /** The latest status received for {@code taskId}, or null. */
  public synchronized TaskStatus lastStatus(String taskId) {
    List<TaskStatus> l = statuses(taskId);
    return l.isEmpty() ? null : l.get(l.size() - 1);
  }

  public synchronized List<Integer> batchSizes() {
    return List.copyOf(batchSizes);
  }

  public synchronized int registrations() {
    return registrations;
  }

  public synchronized int heartbeats() {
    return heartbeats;
  }

  public synchronized Node.Description description(String nodeId) {
    return registered.get(nodeId);
  }

  private void checkReachable() {
    if (!reachable) {
      throw new IllegalStateException("manager unreachable");
    }
  }

  private void checkSession(String nodeId, String sessionId) {
    checkReachable();
    if (!nodeId.equals(sessions.get(sessionId))) {
      throw new SessionExpired("session " + sessionId + " unknown or expired");
    }
  }
}
