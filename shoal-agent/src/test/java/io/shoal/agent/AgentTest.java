package io.shoal.agent;

import static io.shoal.testkit.TaskFixtures.command;
import static io.shoal.testkit.TaskFixtures.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shoal.agent.exec.HollowExecutor;
import io.shoal.api.dispatch.LogRequest;
import io.shoal.api.model.ContainerSpec;
import io.shoal.api.model.Task;
import io.shoal.api.model.TaskState;
import io.shoal.api.model.TaskStatus;
import io.shoal.testkit.RecordingDispatcher;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** T3: a real agent, the hollow executor and an in-memory dispatcher, on real threads. */
@org.junit.jupiter.api.Timeout(60)
class AgentTest {
  private static final String NODE = "node-1";
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path dataDir;
  private ScheduledExecutorService scheduler;
  private RecordingDispatcher dispatcher;
  private HollowExecutor executor;
  private final List<Agent> agents = new ArrayList<>();

  @BeforeEach
  void setUp() {
    scheduler = Executors.newScheduledThreadPool(2);
    dispatcher = new RecordingDispatcher(50);
    executor = new HollowExecutor(NODE, Clock.systemUTC(), scheduler, Duration.ofMillis(20));
  }

  @AfterEach
  void tearDown() {
    agents.forEach(Agent::close);
    scheduler.shutdownNow();
  }

  private Agent agent() {
    AgentConfig cfg = AgentConfig.defaults(NODE, "127.0.0.1", dataDir).withTimings(Duration.ofMillis(20),
        Duration.ofMillis(20), Duration.ofMillis(50), Duration.ofMillis(20), Duration.ofMillis(200));
    Agent a = new Agent(cfg, dispatcher, executor, Clock.systemUTC(), new Random(7), scheduler);
    agents.add(a);
    a.start();
    return a;
  }

  private TaskState last(String id) {
    TaskStatus s = dispatcher.lastStatus(id);
    return s == null ? null : s.state();
  }

  @Test
  void registersHeartbeatsAndRunsAssignedTasks() {
    dispatcher.assign(NODE, List.of(task("t1", NODE), task("t2", NODE)), List.of(), List.of());
    Agent agent = agent();
    await().atMost(WAIT).until(() -> last("t1") == TaskState.RUNNING && last("t2") == TaskState.RUNNING);
    // coalesced per task: the walk ACCEPTED..RUNNING may arrive as one status; never backwards
    assertThat(dispatcher.statuses("t1")).extracting(TaskStatus::state).isSorted();
    assertThat(dispatcher.description(NODE).hostname()).isEqualTo(NODE);
    await().atMost(WAIT).until(() -> dispatcher.heartbeats() >= 3);
    assertThat(agent.connected()).isTrue();
    // coalesced: fewer updates than the 2 x 5 state changes one by one would need
    assertThat(dispatcher.batchSizes().stream().mapToInt(Integer::intValue).sum()).isLessThan(10);
  }

  @Test
  void exitCodeAndRejectionAreReportedInSwarmWords() {
    Task fails = command("fail", NODE, List.of("exit", "3"));
    Task done = command("done", NODE, List.of("exit", "0"));
    Task missing = task("missing", NODE, ContainerSpec.ofImage("missing/nope:1"), TaskState.RUNNING);
    dispatcher.assign(NODE, List.of(fails, done, missing), List.of(), List.of());
    agent();
    await().atMost(WAIT).until(() -> last("fail") == TaskState.FAILED && last("done") == TaskState.COMPLETE
        && last("missing") == TaskState.REJECTED);
    assertThat(dispatcher.lastStatus("fail").err()).isEqualTo("task: non-zero exit (3)");
    assertThat(dispatcher.lastStatus("done").message()).isEqualTo("finished");
    assertThat(dispatcher.lastStatus("missing").err()).isEqualTo("No such image: missing/nope:1");
  }

  @Test
  void desiredShutdownStopsAndRemovalCleansUp() {
    Task t = task("t1", NODE);
    dispatcher.assign(NODE, List.of(t), List.of(), List.of());
    agent();
    await().atMost(WAIT).until(() -> last("t1") == TaskState.RUNNING);
    dispatcher.increment(NODE, List.of(t.withDesiredState(TaskState.SHUTDOWN)), List.of());
    await().atMost(WAIT).until(() -> last("t1") == TaskState.SHUTDOWN);
    assertThat(dispatcher.lastStatus("t1").message()).isEqualTo("shutdown");
    assertThat(executor.count()).isEqualTo(1); // stopped, kept until the task is removed
    dispatcher.increment(NODE, List.of(), List.of("t1"));
    await().atMost(WAIT).until(() -> executor.count() == 0);
  }

  @Test
  void reRegistersAfterSessionExpiryAndResendsStatuses() {
    dispatcher.assign(NODE, List.of(task("t1", NODE)), List.of(), List.of());
    agent();
    await().atMost(WAIT).until(() -> last("t1") == TaskState.RUNNING);
    int before = dispatcher.statuses("t1").size();
    dispatcher.expireSessions();
    await().atMost(WAIT).until(() -> dispatcher.registrations() >= 2 && dispatcher.statuses("t1").size() > before);
    assertThat(last("t1")).isEqualTo(TaskState.RUNNING);
  }

  @Test
  void unreachableManagerLeavesTasksRunningAndIsRetried() {
    dispatcher.assign(NODE, List.of(task("t1", NODE)), List.of(), List.of());
    Agent agent = agent();
    await().atMost(WAIT).until(() -> last("t1") == TaskState.RUNNING);
    dispatcher.setReachable(false);
    await().atMost(WAIT).until(() -> !agent.connected());
    int regs = dispatcher.registrations();
    assertThat(executor.count()).isEqualTo(1);
    assertThat(agent.tasks()).extracting(x -> x.status().state()).containsExactly(TaskState.RUNNING);
    dispatcher.setReachable(true);
    await().atMost(WAIT).until(() -> agent.connected() && dispatcher.registrations() > regs);
    assertThat(executor.count()).isEqualTo(1);
    assertThat(executor.existing()).allMatch(o -> o.state() == io.shoal.agent.exec.ObservedTask.RuntimeState.RUNNING);
  }

  @Test
  void restartedAgentWithoutManagerAdoptsInsteadOfDuplicating() {
    dispatcher.assign(NODE, List.of(task("t1", NODE)), List.of(), List.of());
    Agent first = agent();
    await().atMost(WAIT).until(() -> last("t1") == TaskState.RUNNING);
    first.close();
    dispatcher.setReachable(false);

    Agent second = agent();
    await().atMost(WAIT).until(() -> second.tasks().size() == 1
        && second.tasks().get(0).status().state() == TaskState.RUNNING);
    assertThat(executor.count()).isEqualTo(1);
    assertThat(executor.existing()).allMatch(o -> o.state() == io.shoal.agent.exec.ObservedTask.RuntimeState.RUNNING);
    // the manager comes back: statuses continue, nothing was restarted
    dispatcher.setReachable(true);
    await().atMost(WAIT).until(second::connected);
    assertThat(executor.count()).isEqualTo(1);
  }

  /** Issue 15 (5): the agent's persisted state holds references to secrets, never their data. */
  @Test
  void persistedStateHoldsSecretReferencesNotTheirData() throws Exception {
    String marker = "shoal-marker-" + java.util.UUID.randomUUID();
    io.shoal.api.model.Secret secret = new io.shoal.api.model.Secret("sec1", null, null, null,
        new io.shoal.api.model.Secret.Spec("db-pass", java.util.Map.of(),
            java.util.Base64.getEncoder().encodeToString(marker.getBytes(java.nio.charset.StandardCharsets.UTF_8)), null, null));
    dispatcher.assign(NODE, List.of(task("t1", NODE)), List.of(secret), List.of());
    Agent first = agent();
    await().atMost(WAIT).until(() -> last("t1") == TaskState.RUNNING);
    Path state = dataDir.resolve("agent").resolve("assignments.json");
    await().atMost(WAIT).until(() -> java.nio.file.Files.exists(state)
        && java.nio.file.Files.readString(state).contains("db-pass"));
    first.close();
    String encoded = secret.spec().data();
    try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(dataDir)) {
      for (Path f : files.filter(java.nio.file.Files::isRegularFile).toList()) {
        String text = java.nio.file.Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(text).as(f.toString()).doesNotContain(marker).doesNotContain(encoded);
      }
    }
    // a restarted agent without its manager still adopts the running task
    dispatcher.setReachable(false);
    Agent second = agent();
    await().atMost(WAIT).until(() -> second.tasks().size() == 1
        && second.tasks().get(0).status().state() == TaskState.RUNNING);
    assertThat(executor.count()).isEqualTo(1);
  }

  @Test
  void containersOfUnassignedTasksAreRemovedOnceTheManagerConfirms() {
    dispatcher.assign(NODE, List.of(task("old", NODE)), List.of(), List.of());
    Agent first = agent();
    await().atMost(WAIT).until(() -> last("old") == TaskState.RUNNING);
    first.close();
    // while this agent was away the manager moved on
    dispatcher.assign(NODE, List.of(task("new", NODE)), List.of(), List.of());
    agent();
    await().atMost(WAIT).until(() -> last("new") == TaskState.RUNNING);
    await().atMost(WAIT).until(() -> executor.existing().stream().noneMatch(o -> o.taskId().equals("old")));
  }

  @Test
  void logsComeFromTheExecutor() {
    dispatcher.assign(NODE, List.of(task("t1", NODE)), List.of(), List.of());
    Agent agent = agent();
    await().atMost(WAIT).until(() -> last("t1") == TaskState.RUNNING);
    List<String> lines = new ArrayList<>();
    agent.stream(task("t1", NODE), LogRequest.ALL, l -> lines.add(new String(l.data())), () -> lines.add("END"));
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).contains("started t1");
    assertThat(lines.get(1)).isEqualTo("END");
  }
}
