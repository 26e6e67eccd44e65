package io.shoal.executor.process;

import static io.shoal.testkit.TaskFixtures.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shoal.agent.Agent;
import io.shoal.agent.AgentConfig;
import io.shoal.api.dispatch.LogLine;
import io.shoal.api.dispatch.LogRequest;
import io.shoal.api.model.ContainerSpec;
import io.shoal.api.model.Task;
import io.shoal.api.model.TaskState;
import io.shoal.api.model.TaskStatus;
import io.shoal.testkit.RecordingDispatcher;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** T3: the agent with the process executor and an in-memory dispatcher. */
@Timeout(60)
class ProcessExecutorTest {
  private static final String NODE = "proc-node";
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dataDir;
  private RecordingDispatcher dispatcher;
  private ScheduledExecutorService scheduler;
  private ExecutorService blocking;
  private ProcessExecutor executor;
  private Agent agent;

  @BeforeEach
  void setUp() {
    dispatcher = new RecordingDispatcher(100);
    scheduler = Executors.newScheduledThreadPool(2);
    blocking = Executors.newCachedThreadPool();
    executor = new ProcessExecutor(ProcessExecutorConfig.of(NODE, dataDir), Clock.systemUTC(), scheduler, blocking);
  }

  @AfterEach
  void tearDown() {
    if (agent != null) {
      agent.close();
    }
    executor.close();
    scheduler.shutdownNow();
    blocking.shutdownNow();
  }

  private void startAgent() {
    AgentConfig cfg = AgentConfig.defaults(NODE, "127.0.0.1", dataDir).withTimings(Duration.ofMillis(20),
        Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofMillis(20), Duration.ofMillis(200));
    agent = new Agent(cfg, dispatcher, executor, Clock.systemUTC(), new Random(3), scheduler);
    agent.start();
  }

  private static ContainerSpec sh(String script) {
    return ContainerSpec.ofImage("ignored").withCommand(List.of("sh", "-c", script), null)
        .withStop(null, Duration.ofSeconds(1).toNanos());
  }

  private boolean is(String id, TaskState s) {
    TaskStatus st = dispatcher.lastStatus(id);
    return st != null && st.state() == s;
  }

  @Test
  void exitCodesBecomeCompleteOrFailed() {
    dispatcher.assign(NODE, List.of(
        task("ok", NODE, sh("exit 0"), TaskState.RUNNING),
        task("bad", NODE, sh("exit 7"), TaskState.RUNNING),
        task("nocmd", NODE, ContainerSpec.ofImage("x").withCommand(List.of("no-such-program-xyz"), null), TaskState.RUNNING)),
        List.of(), List.of());
    startAgent();
    await().atMost(WAIT).until(() -> is("ok", TaskState.COMPLETE) && is("bad", TaskState.FAILED)
        && is("nocmd", TaskState.REJECTED));
    assertThat(dispatcher.lastStatus("bad").err()).isEqualTo("task: non-zero exit (7)");
    assertThat(dispatcher.lastStatus("nocmd").err())
        .isEqualTo("exec: \"no-such-program-xyz\": executable file not found in $PATH");
  }

  @Test
  void envWorkingDirAndLogsPerStream() {
    Task t = task("env", NODE, sh("echo \"v=$GREETING\"; echo oops >&2; sleep 300")
        .withEnv(List.of("GREETING=hello")), TaskState.RUNNING);
    dispatcher.assign(NODE, List.of(t), List.of(), List.of());
    startAgent();
    await().atMost(WAIT).until(() -> is("env", TaskState.RUNNING));
    assertThat(dispatcher.lastStatus("env").containerStatus().pid()).isPositive();
    List<LogLine> lines = Collections.synchronizedList(new ArrayList<>());
    await().atMost(WAIT).until(() -> {
      lines.clear();
      agent.stream(t, LogRequest.ALL, lines::add, () -> {});
      return lines.size() >= 2;
    });
    assertThat(lines).anySatisfy(l -> {
      assertThat(l.stream()).isEqualTo(1);
      assertThat(new String(l.data(), StandardCharsets.UTF_8)).isEqualTo("v=hello\n");
    });
    assertThat(lines).anySatisfy(l -> {
      assertThat(l.stream()).isEqualTo(2);
      assertThat(new String(l.data(), StandardCharsets.UTF_8)).isEqualTo("oops\n");
    });
    List<LogLine> onlyErr = new ArrayList<>();
    agent.stream(t, new LogRequest(false, 1, null, false, true), onlyErr::add, () -> {});
    assertThat(onlyErr).hasSize(1).allSatisfy(l -> assertThat(l.stream()).isEqualTo(2));
  }

  @Test
  void shutdownUsesTermThenKillAfterTheGracePeriod() {
    Task polite = task("polite", NODE, sh("sleep 300"), TaskState.RUNNING);
    Task stubborn = task("stubborn", NODE, sh("trap '' TERM; while true; do sleep 1; done"), TaskState.RUNNING);
    dispatcher.assign(NODE, List.of(polite, stubborn), List.of(), List.of());
    startAgent();
    await().atMost(WAIT).until(() -> is("polite", TaskState.RUNNING) && is("stubborn", TaskState.RUNNING));
    long pid = dispatcher.lastStatus("stubborn").containerStatus().pid();
    dispatcher.increment(NODE, List.of(polite.withDesiredState(TaskState.SHUTDOWN),
        stubborn.withDesiredState(TaskState.SHUTDOWN)), List.of());
    await().atMost(WAIT).until(() -> is("polite", TaskState.SHUTDOWN) && is("stubborn", TaskState.SHUTDOWN));
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    dispatcher.increment(NODE, List.of(), List.of("polite", "stubborn"));
    await().atMost(WAIT).until(() -> executor.existing().isEmpty());
  }
}
