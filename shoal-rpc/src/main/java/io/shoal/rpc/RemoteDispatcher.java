package io.shoal.rpc;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.shoal.api.dispatch.Assignments;
import io.shoal.api.dispatch.Dispatcher;
import io.shoal.api.dispatch.TaskStatusUpdate;
import io.shoal.api.model.Node;
import io.shoal.rpc.ClusterProtocol.AssignmentsRequest;
import io.shoal.rpc.ClusterProtocol.HeartbeatRequest;
import io.shoal.rpc.ClusterProtocol.HeartbeatResponse;
import io.shoal.rpc.ClusterProtocol.RegisterRequest;
import io.shoal.rpc.ClusterProtocol.SessionResponse;
import io.shoal.rpc.ClusterProtocol.StatusRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's {@link Dispatcher} on a node whose leader is elsewhere: the same contract over the
 * cluster port with mutual TLS. The manager takes the node id from this node's certificate; the
 * {@code nodeId} arguments are ignored on the wire.
 *
 * <p>Failover: {@link #register} tries the preferred manager, follows the leader address a
 * non-leader sends with {@code NotLeader}, then tries the others. Once registered, heartbeats,
 * status updates and the assignment stream go to the manager that holds the session; when it
 * fails (UNAVAILABLE, NotLeader) the call throws, the next {@code register} starts at the leader
 * it named or the next manager, and the assignment listener's {@code onClosed} fires, which is
 * what makes the agent register again.
 *
 * <p>Thread-safe. Unary calls have a deadline ({@link #DEFAULT_DEADLINE} unless given); the
 * assignment stream has none and holds no thread: its listener runs on the channel's executor
 * and must not block.
 */
public final class RemoteDispatcher implements Dispatcher {
  private static final Logger log = LoggerFactory.getLogger(RemoteDispatcher.class);
  public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(10);

  private final ClusterChannels channels;
  private final ManagerTargets targets;
  private final Duration deadline;
  /** The manager that holds the current session, or null. */
  private volatile String sessionAddr;
  private volatile Consumer<SessionInfo> sessionInfoListener = i -> {};

  public RemoteDispatcher(ClusterChannels channels, List<String> managers) {
    this(channels, managers, DEFAULT_DEADLINE);
  }

  public RemoteDispatcher(ClusterChannels channels, List<String> managers, Duration deadline) {
    this.channels = channels;
    this.targets = new ManagerTargets(managers);
    this.deadline = deadline;
  }

  /** The managers' cluster addresses changed (learned from the store or a join response). */
  public void updateManagers(List<String> managers) {
    targets.update(managers);
  }

  public List<String> managers() {
    return targets.managers();
  }

  /**
   * Receives the session info each register and heartbeat answer carries, on the calling
   * thread (the agent's); it must not block for long. Replaces any previous listener.
   */
  public void onSessionInfo(Consumer<SessionInfo> listener) {
    this.sessionInfoListener = listener == null ? i -> {} : listener;
  }

  private void tell(SessionInfo info) {
    if (info == null) {
      return;
    }
    try {
      sessionInfoListener.accept(info);
    } catch (RuntimeException e) {
      // the listener's trouble is not the session's: keep heartbeating
      log.warn("session info listener failed: {}", e.toString());
    }
  }

  /** The manager the session is with, or the one the next register tries first. */
  public String currentManager() {
    String s = sessionAddr;
    return s != null ? s : targets.preferred();
  }

  @Override
  public Session register(String nodeId, Node.Description description, String addr) {
    RegisterRequest req = new RegisterRequest(description, addr);
    return targets.callAt(manager -> {
      ManagedChannel ch = channels.toManager(manager);
      // A manager that was down may be back: do not let the channel's reconnect backoff
      // (up to minutes) fail this attempt without even trying.
      ch.resetConnectBackoff();
      SessionResponse r = ClientCalls.blockingUnaryCall(ch, ClusterProtocol.REGISTER, options(), req);
      sessionAddr = manager;
      log.debug("registered with {} (session {})", manager, r.sessionId());
      tell(r.info());
      return new Session(r.sessionId(), r.heartbeatPeriodMillis());
    });
  }

  @Override
  public long heartbeat(String nodeId, String sessionId) {
    String manager = sessionManager();
    HeartbeatResponse r;
    try {
      r = ClientCalls.blockingUnaryCall(channels.toManager(manager), ClusterProtocol.HEARTBEAT,
          options(), new HeartbeatRequest(sessionId));
    } catch (StatusRuntimeException e) {
      throw lost(manager, e);
    }
    tell(r.info());
    return r.heartbeatPeriodMillis();
  }

  @Override
  public void updateTaskStatus(String nodeId, String sessionId, List<TaskStatusUpdate> updates) {
    String manager = sessionManager();
    try {
      ClientCalls.blockingUnaryCall(channels.toManager(manager), ClusterProtocol.UPDATE_TASK_STATUS,
          options(), new StatusRequest(sessionId, updates));
    } catch (StatusRuntimeException e) {
      throw lost(manager, e);
    }
  }

  /**
   * Opens the assignment stream on the session's manager. Errors (including an unknown session)
   * arrive through {@code listener.onClosed}, never thrown here, except when there is no session.
   */
  @Override
  public AutoCloseable assignments(String nodeId, String sessionId, AssignmentListener listener) {
    String manager = sessionManager();
    ClientCall<AssignmentsRequest, Assignments> call =
        channels.toManager(manager).newCall(ClusterProtocol.ASSIGNMENTS, CallOptions.DEFAULT);
    AtomicBoolean closedByUs = new AtomicBoolean();
    ClientCalls.asyncServerStreamingCall(call, new AssignmentsRequest(sessionId),
        new StreamObserver<Assignments>() {
          @Override
          public void onNext(Assignments a) {
            listener.onAssignments(a);
          }

          @Override
          public void onError(Throwable t) {
            if (closedByUs.get()) {
              return; // the agent closed it: no need to tell it
            }
            RuntimeException cause = t instanceof StatusRuntimeException sre ? lost(manager, sre)
                : new Dispatcher.SessionExpired("assignment stream broke: " + t);
            listener.onClosed(cause);
          }

          @Override
          public void onCompleted() {
            if (!closedByUs.get()) {
              listener.onClosed(new Dispatcher.SessionExpired("the manager ended the assignment stream"));
            }
          }
        });
    return () -> {
      if (closedByUs.compareAndSet(false, true)) {
        call.cancel("closed by the agent", null);
      }
    };
  }

  private CallOptions options() {
    return CallOptions.DEFAULT.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
  }

  private String sessionManager() {
    String s = sessionAddr;
    if (s == null) {
      throw new Dispatcher.SessionExpired("not registered with any manager");
    }
    return s;
  }

  /**
   * The typed exception for a failed session call; when the manager is gone or no longer the
   * leader, the session is forgotten and the next register starts elsewhere.
   */
  private RuntimeException lost(String manager, StatusRuntimeException e) {
    if (RpcErrors.isRetryableElsewhere(e)) {
      targets.failed(manager, e);
      if (manager.equals(sessionAddr)) {
        sessionAddr = null;
      }
    }
    return RpcErrors.fromStatus(e, manager);
  }
}
