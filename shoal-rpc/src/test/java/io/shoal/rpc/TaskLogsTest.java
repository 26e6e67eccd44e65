package io.shoal.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shoal.api.dispatch.LogLine;
import io.shoal.api.dispatch.LogRequest;
import io.shoal.api.dispatch.TaskLogs;
import io.shoal.api.model.Task;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** T3: a manager pulls a task's logs from the node that runs it. */
class TaskLogsTest extends RpcTestBase {
  private static final Duration WAIT = Duration.ofSeconds(20);

  /** An agent's log source: prints its lines, then ends unless following; records closes. */
  static final class FakeLogs implements TaskLogs {
    final AtomicInteger opened = new AtomicInteger();
    final AtomicBoolean closed = new AtomicBoolean();
    final AtomicReference<LogRequest> request = new AtomicReference<>();
    final AtomicReference<Consumer<LogLine>> follower = new AtomicReference<>();

    @Override
    public AutoCloseable stream(Task task, LogRequest req, Consumer<LogLine> sink, Runnable onEnd) {
      opened.incrementAndGet();
      request.set(req);
      for (int i = 1; i <= 3; i++) {
        sink.accept(line(task.id(), i));
      }
      if (req.follow()) {
        follower.set(sink);
      } else {
        onEnd.run();
      }
      return () -> closed.set(true);
    }
  }

  static LogLine line(String task, int i) {
    return new LogLine(task, i % 2 == 0 ? 2 : 1, Instant.parse("2026-01-02T03:04:05Z").plusSeconds(i),
        ("line " + i + "\n").getBytes(StandardCharsets.UTF_8));
  }

  private final FakeLogs source = new FakeLogs();

  @Test
  void aFiniteStreamArrivesInOrderAndEnds() {
    ClusterServer worker = server(pki.worker("worker1"), b -> b.taskLogs(source));
    TaskLogs logs = RemoteTaskLogs.at(channels(pki.manager("manager1")), addr(worker));
    List<LogLine> got = new CopyOnWriteArrayList<>();
    AtomicBoolean ended = new AtomicBoolean();

    LogRequest req = new LogRequest(false, 10, Instant.parse("2026-01-01T00:00:00Z"), true, true);
    logs.stream(Tasks.task("t1", "worker1"), req, got::add, () -> ended.set(true));

    await().atMost(WAIT).untilTrue(ended);
    assertThat(got).extracting(l -> new String(l.data(), StandardCharsets.UTF_8))
        .containsExactly("line 1\n", "line 2\n", "line 3\n");
    assertThat(got).extracting(LogLine::stream).containsExactly(1, 2, 1);
    assertThat(got.get(0).timestamp()).isEqualTo(Instant.parse("2026-01-02T03:04:06Z"));
    assertThat(source.request.get()).isEqualTo(req);
  }

  @Test
  void aFollowedStreamKeepsComingUntilTheReaderCloses() throws Exception {
    ClusterServer worker = server(pki.worker("worker1"), b -> b.taskLogs(source));
    TaskLogs logs = RemoteTaskLogs.at(channels(pki.manager("manager1")), addr(worker));
    List<LogLine> got = new CopyOnWriteArrayList<>();
    AtomicBoolean ended = new AtomicBoolean();

    AutoCloseable h = logs.stream(Tasks.task("t1", "worker1"), new LogRequest(true, -1, null, true, true),
        got::add, () -> ended.set(true));
    await().atMost(WAIT).until(() -> got.size() == 3 && source.follower.get() != null);
    source.follower.get().accept(line("t1", 4));
    await().atMost(WAIT).until(() -> got.size() == 4);

    h.close();
    assertThat(ended).isTrue();
    // The node stops reading the container's output once the manager hangs up.
    await().atMost(WAIT).untilTrue(source.closed);
  }

  @Test
  void aWorkerMayNotPullAnotherNodesLogs() {
    ClusterServer worker = server(pki.worker("worker1"), b -> b.taskLogs(source));
    TaskLogs logs = RemoteTaskLogs.at(channels(pki.worker("worker2")), addr(worker));
    List<LogLine> got = new CopyOnWriteArrayList<>();
    AtomicBoolean ended = new AtomicBoolean();

    logs.stream(Tasks.task("t1", "worker1"), LogRequest.ALL, got::add, () -> ended.set(true));
    await().atMost(WAIT).untilTrue(ended);
    assertThat(got).isEmpty();
    assertThat(source.opened).hasValue(0);
  }
}
