package io.shoal.rpc;

import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.shoal.api.dispatch.Assignments;
import io.shoal.api.dispatch.Dispatcher;
import io.shoal.api.dispatch.LogLine;
import io.shoal.api.error.ShoalException;
import io.shoal.ca.NodeIdentity;
import io.shoal.rpc.ClusterProtocol.AssignmentsRequest;
import io.shoal.rpc.ClusterProtocol.Empty;
import io.shoal.rpc.ClusterProtocol.HeartbeatResponse;
import io.shoal.rpc.ClusterProtocol.MeshTableResponse;
import io.shoal.rpc.ClusterProtocol.RootCAResponse;
import io.shoal.rpc.ClusterProtocol.SessionResponse;
import io.shoal.rpc.ClusterProtocol.TaskLogsRequest;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code shoal.Cluster} method implementations: each decodes nothing itself (the JSON
 * marshallers did), takes the caller's identity from the context the interceptor set, and calls
 * the handler the daemon gave {@link ClusterServer}.
 *
 * <p>Threading: quick methods run on the server executor. Methods that may block on raft (join,
 * renew, add/remove manager) hop to a separate bounded executor, so a burst of joins cannot
 * starve the heartbeats of thousands of workers. Streams hold no thread: the dispatcher's and the
 * log source's own threads push into the (non-blocking, buffering) response observers.
 */
final class ClusterService {
  private static final Logger log = LoggerFactory.getLogger(ClusterService.class);
  /** Messages a stream may queue beyond the transport's own buffer before it is ended. */
  static final int MAX_BACKLOG = 10_000;

  private final ClusterServer server;
  private final Executor blocking;

  ClusterService(ClusterServer server, Executor blocking) {
    this.server = server;
    this.blocking = blocking;
  }

  /** The caller as the interceptor verified it. */
  private record Caller(NodeIdentity identity, String host) {
    String nodeId() {
      return identity.nodeId();
    }
  }

  ServerServiceDefinition definition() {
    ServerServiceDefinition.Builder b = ServerServiceDefinition.builder(ClusterProtocol.SERVICE);
    unary(b, ClusterProtocol.GET_ROOT_CA, null, (req, c) ->
        new RootCAResponse(server.rootCA().certificatePem()));
    unary(b, ClusterProtocol.JOIN, blocking, (req, c) -> server.joinHandler().join(req, c.host()));
    unary(b, ClusterProtocol.RENEW_CERTIFICATE, blocking, (req, c) ->
        server.joinHandler().renewal(c.identity(), req.csrPem()));
    // asynchronous: a registration waits for a raft commit, and a storm of them must not hold
    // the handler threads the heartbeats of every other node need
    b.addMethod(ClusterProtocol.REGISTER, ServerCalls.asyncUnaryCall((req, out) -> {
      Caller c = caller();
      java.util.concurrent.CompletableFuture<Dispatcher.Session> f;
      try {
        f = server.dispatcher().registerAsync(c.nodeId(), req.description(), req.addr());
      } catch (RuntimeException e) {
        f = java.util.concurrent.CompletableFuture.failedFuture(e);
      }
      f.whenComplete((s, err) -> {
        Throwable t = err instanceof java.util.concurrent.CompletionException && err.getCause() != null ? err.getCause() : err;
        try {
          if (t == null) {
            out.onNext(new SessionResponse(s.sessionId(), s.heartbeatPeriodMillis(), server.sessionInfo(c.nodeId())));
            out.onCompleted();
          } else {
            out.onError(RpcErrors.toStatus(t instanceof RuntimeException re ? re : new RuntimeException(t), leader()));
          }
        } catch (RuntimeException e) {
          log.debug("cluster call ended before its answer", e);
        }
      });
    }));
    unary(b, ClusterProtocol.HEARTBEAT, null, (req, c) ->
        new HeartbeatResponse(server.dispatcher().heartbeat(c.nodeId(), req.sessionId()), server.sessionInfo(c.nodeId())));
    unary(b, ClusterProtocol.UPDATE_TASK_STATUS, null, (req, c) -> {
      server.dispatcher().updateTaskStatus(c.nodeId(), req.sessionId(), req.updates());
      return Empty.INSTANCE;
    });
    unary(b, ClusterProtocol.ADD_MANAGER, blocking, (req, c) -> {
      server.managerOps().addManager(c.identity(), req.nodeId(), req.raftAddr());
      return Empty.INSTANCE;
    });
    unary(b, ClusterProtocol.REMOVE_MANAGER, blocking, (req, c) -> {
      server.managerOps().removeManager(c.identity(), req.nodeId());
      return Empty.INSTANCE;
    });
    unary(b, ClusterProtocol.MESH_TABLE, null, (req, c) ->
        new MeshTableResponse(server.meshTable().meshTable()));
    // asynchronous: a long poll parks no handler thread while it waits for a change
    b.addMethod(ClusterProtocol.NETWORK_VIEW, ServerCalls.asyncUnaryCall((req, out) -> {
      Caller c = caller();
      java.util.concurrent.CompletableFuture<io.shoal.api.net.NodeNetworkView> f;
      try {
        f = server.networkViews().networkView(c.nodeId(), req.sinceVersion());
      } catch (RuntimeException e) {
        f = java.util.concurrent.CompletableFuture.failedFuture(e);
      }
      f.whenComplete((v, err) -> {
        Throwable t = err instanceof java.util.concurrent.CompletionException && err.getCause() != null ? err.getCause() : err;
        try {
          if (t == null) {
            out.onNext(v);
            out.onCompleted();
          } else {
            out.onError(RpcErrors.toStatus(t instanceof RuntimeException re ? re : new RuntimeException(t), leader()));
          }
        } catch (RuntimeException e) {
          log.debug("cluster call ended before its answer", e);
        }
      });
    }));
    b.addMethod(ClusterProtocol.ASSIGNMENTS, ServerCalls.asyncServerStreamingCall(this::assignments));
    b.addMethod(ClusterProtocol.TASK_LOGS, ServerCalls.asyncServerStreamingCall(this::taskLogs));
    return b.build();
  }

  private <Q, R> void unary(
      ServerServiceDefinition.Builder b, MethodDescriptor<Q, R> method, Executor hop, Handler<Q, R> h) {
    b.addMethod(method, ServerCalls.asyncUnaryCall(new Unary<>(h, hop)));
  }

  @FunctionalInterface
  private interface Handler<Q, R> {
    R handle(Q request, Caller caller);
  }

  private static Caller caller() {
    return new Caller(PeerAuthInterceptor.PEER.get(), PeerAuthInterceptor.PEER_HOST.get());
  }

  /** A unary handler, run inline or on {@code hop}; failures become typed statuses. */
  private final class Unary<Q, R> implements ServerCalls.UnaryMethod<Q, R> {
    private final Handler<Q, R> h;
    private final Executor hop;

    Unary(Handler<Q, R> h, Executor hop) {
      this.h = h;
      this.hop = hop;
    }

    @Override
    public void invoke(Q request, StreamObserver<R> out) {
      // Read the context here: it is bound to this thread, not to the one we may hop to.
      Caller c = caller();
      if (hop == null) {
        run(request, c, out);
        return;
      }
      try {
        hop.execute(() -> run(request, c, out));
      } catch (RejectedExecutionException e) {
        out.onError(RpcErrors.toStatus(
            new ShoalException.Unavailable("this manager is too busy or shutting down; retry"), leader()));
      }
    }

    private void run(Q request, Caller c, StreamObserver<R> out) {
      R response;
      try {
        response = h.handle(request, c);
      } catch (RuntimeException e) {
        out.onError(RpcErrors.toStatus(e, leader()));
        return;
      }
      try {
        out.onNext(response);
        out.onCompleted();
      } catch (RuntimeException e) {
        // the caller gave up (deadline, cancel) while the handler ran: nothing left to tell it
        log.debug("cluster call ended before its answer", e);
      }
    }
  }

  private String leader() {
    return server.leaderHint();
  }

  // ---- streams ------------------------------------------------------------------------------

  private void assignments(AssignmentsRequest req, StreamObserver<Assignments> out) {
    Caller c = caller();
    // An agent that cannot keep up loses its stream and registers again: it then gets one full
    // set instead of an ever-growing queue of increments on the leader.
    Stream<Assignments> stream = new Stream<>((ServerCallStreamObserver<Assignments>) out,
        () -> new Dispatcher.SessionExpired("the assignment stream fell too far behind; register again"));
    stream.open(() -> server.dispatcher().assignments(c.nodeId(), req.sessionId(),
        new Dispatcher.AssignmentListener() {
          @Override
          public void onAssignments(Assignments a) {
            stream.next(a);
          }

          @Override
          public void onClosed(Throwable cause) {
            // null: the dispatcher ended it without a reason; tell the agent to register again
            stream.end(cause == null ? new Dispatcher.SessionExpired("the dispatcher closed the stream") : cause);
          }
        }));
  }

  private void taskLogs(TaskLogsRequest req, StreamObserver<LogLine> out) {
    Stream<LogLine> stream = new Stream<>((ServerCallStreamObserver<LogLine>) out,
        () -> new ShoalException.Unavailable("the log reader fell too far behind; the stream was ended"));
    stream.open(() -> server.taskLogs().stream(req.task(), req.request(), stream::next, () -> stream.end(null)));
  }

  /**
   * One server stream fed by a foreign thread. Serialises onNext/onError/onCompleted (observers
   * are not thread-safe and the source's first message may race its later ones), ignores
   * messages after the end, and closes the source when the client cancels.
   */
  private final class Stream<T> {
    private final ServerCallStreamObserver<T> out;
    private final Supplier<RuntimeException> tooSlow;
    private boolean done;
    private AutoCloseable source;
    /** Messages queued while the transport said it was not ready (its buffer is full). */
    private int backlog;

    Stream(ServerCallStreamObserver<T> out, Supplier<RuntimeException> tooSlow) {
      this.out = out;
      this.tooSlow = tooSlow;
      // Set before the source starts, so a cancel that races the subscription still closes it.
      out.setOnCancelHandler(this::cancelled);
      out.setOnReadyHandler(this::drained);
    }

    private synchronized void drained() {
      backlog = 0;
    }

    void open(SourceOpener opener) {
      AutoCloseable s;
      try {
        s = opener.open();
      } catch (RuntimeException e) {
        end(e);
        return;
      }
      boolean closeNow;
      synchronized (this) {
        source = s;
        closeNow = done;
      }
      if (closeNow) {
        close(s);
      }
    }

    void next(T value) {
      synchronized (this) {
        if (done) {
          return;
        }
        // gRPC buffers without limit; bound what one slow peer can make this node hold.
        if (out.isReady() || ++backlog <= MAX_BACKLOG) {
          send(value);
          return;
        }
      }
      end(tooSlow.get());
    }

    // called with the monitor held
    private void send(T value) {
      try {
        out.onNext(value);
      } catch (RuntimeException e) {
        // cancelled meanwhile: the cancel handler closes the source
        log.debug("cluster stream send failed", e);
      }
    }

    void end(Throwable cause) {
      AutoCloseable s;
      synchronized (this) {
        if (done) {
          return;
        }
        done = true;
        s = source;
        try {
          if (cause == null) {
            out.onCompleted();
          } else {
            out.onError(RpcErrors.toStatus(cause, leader()));
          }
        } catch (RuntimeException e) {
          log.debug("cluster stream close failed", e);
        }
      }
      if (s != null) {
        close(s);
      }
    }

    private void cancelled() {
      AutoCloseable s;
      synchronized (this) {
        done = true;
        s = source;
      }
      if (s != null) {
        close(s);
      }
    }

    private void close(AutoCloseable s) {
      try {
        s.close();
      } catch (Exception e) {
        log.debug("closing a stream source failed", e);
      }
    }
  }

  @FunctionalInterface
  private interface SourceOpener {
    AutoCloseable open();
  }

}
