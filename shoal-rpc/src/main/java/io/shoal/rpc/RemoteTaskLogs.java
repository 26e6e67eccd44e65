package io.shoal.rpc;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.shoal.api.dispatch.LogLine;
import io.shoal.api.dispatch.LogRequest;
import io.shoal.api.dispatch.TaskLogs;
import io.shoal.api.error.ShoalException;
import io.shoal.api.model.Task;
import io.shoal.rpc.ClusterProtocol.TaskLogsRequest;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link TaskLogs} read from the node that runs the task, over its cluster port (a manager
 * serving {@code service logs}; the caller needs a manager certificate).
 *
 * <pre>{@code
 * TaskLogs logs = new RemoteTaskLogs(channels, task -> clusterAddrOf(task.nodeID()));
 * AutoCloseable h = logs.stream(task, LogRequest.ALL, line -> out(line), () -> done());
 * }</pre>
 *
 * <p>Thread-safe. {@code sink} and {@code onEnd} run on the channel's executor, in order;
 * {@code onEnd} runs exactly once, also when the node fails or {@link AutoCloseable#close()} is
 * called (a failure is logged, since the TaskLogs contract has no error callback).
 */
public final class RemoteTaskLogs implements TaskLogs {
  private static final Logger log = LoggerFactory.getLogger(RemoteTaskLogs.class);

  private final ClusterChannels channels;
  private final Function<Task, String> addressOf;

  /** @param addressOf the cluster address of the node that runs a task, or null if unknown */
  public RemoteTaskLogs(ClusterChannels channels, Function<Task, String> addressOf) {
    this.channels = channels;
    this.addressOf = addressOf;
  }

  /** Logs of tasks on the node at {@code addr}. */
  public static RemoteTaskLogs at(ClusterChannels channels, String addr) {
    Objects.requireNonNull(addr);
    return new RemoteTaskLogs(channels, t -> addr);
  }

  @Override
  public AutoCloseable stream(Task task, LogRequest request, Consumer<LogLine> sink, Runnable onEnd) {
    String addr = addressOf.apply(task);
    if (addr == null || addr.isEmpty()) {
      throw new ShoalException.NotFound("task " + task.id() + " runs on node " + task.nodeID()
          + ", whose address is unknown");
    }
    ClientCall<TaskLogsRequest, LogLine> call =
        channels.toNode(addr).newCall(ClusterProtocol.TASK_LOGS, CallOptions.DEFAULT);
    AtomicBoolean ended = new AtomicBoolean();
    Runnable endOnce = () -> {
      if (ended.compareAndSet(false, true)) {
        onEnd.run();
      }
    };
    ClientCalls.asyncServerStreamingCall(call, new TaskLogsRequest(task, request),
        new StreamObserver<LogLine>() {
          @Override
          public void onNext(LogLine line) {
            if (!ended.get()) {
              sink.accept(line);
            }
          }

          @Override
          public void onError(Throwable t) {
            if (!(t instanceof StatusRuntimeException s && s.getStatus().getCode() == Status.Code.CANCELLED)) {
              log.warn("logs of task {} from {} ended with an error: {}", task.id(), addr,
                  t instanceof StatusRuntimeException s ? RpcErrors.fromStatus(s, addr).getMessage() : t.toString());
            }
            endOnce.run();
          }

          @Override
          public void onCompleted() {
            endOnce.run();
          }
        });
    return () -> {
      call.cancel("log stream closed by the reader", null);
      endOnce.run();
    };
  }
}
