package io.shoal.api.dispatch;

import io.shoal.api.model.Node;
import java.util.List;

/**
 * What an agent calls on the manager it is attached to. In one process this is the manager's
 * dispatcher itself; across machines it is a gRPC client with the same contract (mutual TLS,
 * the node id taken from the peer certificate).
 *
 * <p>Contract: {@link #register} opens a session and returns its id and the heartbeat period; the
 * agent then heartbeats within that period (a node that misses 3 is marked DOWN), streams its
 * task status changes in batches, and receives its assignments: one full set first, then
 * increments. A call with an unknown or expired session fails with {@link SessionExpired}; the
 * agent then registers again. All methods are thread-safe and never block on the network for
 * longer than the transport's deadline.
 */
public interface Dispatcher {

  /** Opens a session for {@code nodeId}; the manager records the node's description and address. */
  Session register(String nodeId, Node.Description description, String addr);

  /**
   * {@link #register} without holding the caller's thread while the manager writes the node: an RPC
   * server serving thousands of nodes must not park a handler thread per registration. The default
   * runs {@link #register} in the caller's thread.
   */
  default java.util.concurrent.CompletableFuture<Session> registerAsync(String nodeId, Node.Description description, String addr) {
    try {
      return java.util.concurrent.CompletableFuture.completedFuture(register(nodeId, description, addr));
    } catch (RuntimeException e) {
      return java.util.concurrent.CompletableFuture.failedFuture(e);
    }
  }

  /** Keeps the session alive; returns the period (ms) within which the next heartbeat is due. */
  long heartbeat(String nodeId, String sessionId);

  /** Reports task status changes, batched; only tasks assigned to this node are accepted. */
  void updateTaskStatus(String nodeId, String sessionId, List<TaskStatusUpdate> updates);

  /**
   * Subscribes to this node's assignments. The listener first gets a full set ({@code full=true}),
   * then increments, on a dispatcher thread; it must not block. Closing the handle ends the stream.
   */
  AutoCloseable assignments(String nodeId, String sessionId, AssignmentListener listener);

  /** A session: its id and the heartbeat period the manager expects (ms). */
  record Session(String sessionId, long heartbeatPeriodMillis) {}

  /** Receives assignment sets. */
  @FunctionalInterface
  interface AssignmentListener {
    void onAssignments(Assignments assignments);

    /** The stream ended (manager stopped being leader, session expired); re-register. */
    default void onClosed(Throwable cause) {}
  }

  /** The session is unknown or expired: register again. */
  final class SessionExpired extends RuntimeException {
    public SessionExpired(String message) {
      super(message);
    }
  }
}
