package io.shoal.executor.docker;

import static io.shoal.testkit.TaskFixtures.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import io.shoal.agent.Agent;
import io.shoal.agent.AgentConfig;
import io.shoal.agent.exec.TaskNames;
import io.shoal.api.dispatch.LogLine;
import io.shoal.api.dispatch.LogRequest;
import io.shoal.api.model.Config;
import io.shoal.api.model.ConfigReference;
import io.shoal.api.model.ContainerSpec;
import io.shoal.api.model.Endpoint;
import io.shoal.api.model.HealthConfig;
import io.shoal.api.model.PortConfig;
import io.shoal.api.model.Secret;
import io.shoal.api.model.SecretReference;
import io.shoal.api.model.Task;
import io.shoal.api.model.TaskState;
import io.shoal.api.model.TaskStatus;
import io.shoal.testkit.RecordingDispatcher;
import io.shoal.testkit.TestEngine;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * T5: the agent with the docker executor against a real engine ({@link TestEngine}); aborted,
 * never passed, when no engine can be had. Every test uses its own node id, and removes the
 * containers labelled with it afterwards.
 */
@Timeout(120)
class DockerExecutorTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String IMAGE = TestEngine.IMAGE;
  private String host;

  @TempDir Path dataDir;
  private String node;
  private RecordingDispatcher dispatcher;
  private ScheduledExecutorService scheduler;
  private ExecutorService blocking;
  private final List<Agent> agents = new ArrayList<>();
  private final List<DockerExecutor> executors = new ArrayList<>();

  @BeforeEach
  void setUp() {
    // per test, not @BeforeAll: an abort then shows as every test skipped with the reason
    host = TestEngine.host();
    node = "t5-" + UUID.randomUUID().toString().substring(0, 8);
    dispatcher = new RecordingDispatcher(200);
    scheduler = Executors.newScheduledThreadPool(2);
    blocking = Executors.newCachedThreadPool();
  }

  @AfterEach
  void tearDown() {
    agents.forEach(Agent::close);
    if (host == null) {
      return;
    }
    DockerClient d = DockerExecutor.client(host);
    for (Container c : ours(d)) {
      d.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
    }
    executors.forEach(DockerExecutor::close);
    scheduler.shutdownNow();
    blocking.shutdownNow();
  }

  private List<Container> ours(DockerClient d) {
    return d.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(TaskNames.LABEL_NODE_ID, node)).exec();
  }

  private Agent agent() {
    DockerExecutor ex = new DockerExecutor(
        new DockerExecutorConfig(host, node, dataDir.resolve("tasks"), Duration.ofSeconds(5)),
        Clock.systemUTC(), blocking);
    executors.add(ex);
    AgentConfig cfg = AgentConfig.defaults(node, "127.0.0.1", dataDir).withTimings(Duration.ofMillis(50),
        Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofMillis(50), Duration.ofMillis(500));
    Agent a = new Agent(cfg, dispatcher, ex, Clock.systemUTC(), new Random(1), scheduler);
    agents.add(a);
    a.start();
    return a;
  }

  private Task run(String id, ContainerSpec cs) {
    return task(id, node, cs, TaskState.RUNNING);
  }

  private static ContainerSpec sh(String script) {
    return ContainerSpec.ofImage(IMAGE).withCommand(List.of("sh", "-c", script), null)
        .withStop(null, Duration.ofSeconds(1).toNanos());
  }

  private TaskStatus last(String id) {
    return dispatcher.lastStatus(id);
  }

  private boolean is(String id, TaskState s) {
    TaskStatus st = last(id);
    return st != null && st.state() == s;
  }

  @Test
  void runsStopsAndRemovesALabelledContainer() {
    Task t = run("run1", sh("sleep 300"));
    dispatcher.assign(node, List.of(t), List.of(), List.of());
    agent();
    await().atMost(WAIT).until(() -> is("run1", TaskState.RUNNING));
    DockerClient d = DockerExecutor.client(host);
    List<Container> cs = ours(d);
    assertThat(cs).hasSize(1);
    assertThat(cs.get(0).getNames()).containsExactly("/svc.1.run1");
    assertThat(cs.get(0).getLabels()).containsEntry(TaskNames.LABEL_TASK_ID, "run1")
        .containsEntry(TaskNames.LABEL_SERVICE_ID, "svc-id").containsEntry(TaskNames.LABEL_SERVICE_NAME, "svc")
        .containsEntry(TaskNames.LABEL_TASK_NAME, "svc.1.run1");
    assertThat(last("run1").containerStatus().containerID()).isEqualTo(cs.get(0).getId());

    dispatcher.increment(node, List.of(t.withDesiredState(TaskState.SHUTDOWN)), List.of());
    await().atMost(WAIT).until(() -> is("run1", TaskState.SHUTDOWN));
    assertThat(ours(d).get(0).getState()).isEqualTo("exited");
    dispatcher.increment(node, List.of(), List.of("run1"));
    await().atMost(WAIT).until(() -> ours(d).isEmpty());
  }

  @Test
  void aContainerKilledBehindTheAgentsBackFails() {
    dispatcher.assign(node, List.of(run("killed", sh("sleep 300"))), List.of(), List.of());
    agent();
    await().atMost(WAIT).until(() -> is("killed", TaskState.RUNNING));
    DockerExecutor.client(host).killContainerCmd("svc.1.killed").exec(); // as `docker kill` does
    await().atMost(WAIT).until(() -> is("killed", TaskState.FAILED));
    assertThat(last("killed").err()).isEqualTo("task: non-zero exit (137)");
    assertThat(last("killed").containerStatus().exitCode()).isEqualTo(137);
  }

  @Test
  void nonZeroExitFailsAndMissingImageIsRejectedWithTheEnginesMessage() {
    dispatcher.assign(node, List.of(
        run("exit3", sh("exit 3")),
        run("ok", sh("true")),
        run("noimg", ContainerSpec.ofImage("shoal-test/no-such-image:1"))), List.of(), List.of());
    agent();
    await().atMost(WAIT).until(() -> is("exit3", TaskState.FAILED) && is("ok", TaskState.COMPLETE)
        && is("noimg", TaskState.REJECTED));
    assertThat(last("exit3").err()).isEqualTo("task: non-zero exit (3)");
    assertThat(last("exit3").containerStatus().exitCode()).isEqualTo(3);
    assertThat(last("noimg").err()).contains("No such image").contains("shoal-test/no-such-image:1");
    assertThat(last("noimg").message()).isEqualTo("preparing");
  }

  @Test
  void runningOnlyOnceHealthyAndUnhealthyFails() {
    HealthConfig ready = new HealthConfig(List.of("CMD-SHELL", "test -f /tmp/ok"),
        200_000_000L, 1_000_000_000L, 50, 0L, null);
    HealthConfig never = new HealthConfig(List.of("CMD", "false"), 200_000_000L, 1_000_000_000L, 1, 0L, null);
    dispatcher.assign(node, List.of(
        run("slow", sh("sleep 2; touch /tmp/ok; sleep 300").withHealthCheck(ready)),
        run("sick", sh("sleep 300").withHealthCheck(never))), List.of(), List.of());
    agent();
    await().atMost(WAIT).until(() -> is("slow", TaskState.RUNNING) && is("sick", TaskState.FAILED));
    List<TaskState> seen = dispatcher.statuses("slow").stream().map(TaskStatus::state).toList();
    assertThat(seen).contains(TaskState.STARTING);
    assertThat(seen.indexOf(TaskState.STARTING)).isLessThan(seen.indexOf(TaskState.RUNNING));
    DockerClient d = DockerExecutor.client(host);
    assertThat(d.inspectContainerCmd("svc.1.slow").exec().getState().getHealth().getStatus()).isEqualTo("healthy");
    assertThat(last("sick").err()).isEqualTo("dockerexec: unhealthy container");
    assertThat(dispatcher.statuses("sick")).extracting(TaskStatus::state).doesNotContain(TaskState.RUNNING);
    // a failed task's container is stopped
    await().atMost(WAIT).until(() -> !d.inspectContainerCmd("svc.1.sick").exec().getState().getRunning());
  }

  @Test
  void restartedAgentAdoptsItsContainerWithoutAManager() {
    dispatcher.assign(node, List.of(run("adopt", sh("sleep 300"))), List.of(), List.of());
    Agent first = agent();
    await().atMost(WAIT).until(() -> is("adopt", TaskState.RUNNING));
    DockerClient d = DockerExecutor.client(host);
    String id = ours(d).get(0).getId();
    first.close();
    dispatcher.setReachable(false);

    Agent second = agent();
    await().atMost(WAIT).until(() -> second.tasks().size() == 1
        && second.tasks().get(0).status().state() == TaskState.RUNNING);
    assertThat(second.tasks().get(0).status().containerStatus().containerID()).isEqualTo(id);
    dispatcher.setReachable(true);
    await().atMost(WAIT).until(second::connected);
    await().atMost(WAIT).until(() -> dispatcher.registrations() >= 2);
    assertThat(ours(d)).extracting(Container::getId).containsExactly(id);
    assertThat(ours(d).get(0).getState()).isEqualTo("running");
  }

  @Test
  void logsAreDemultiplexedWithTimestamps() {
    Task t = run("logs", sh("echo to-out; echo to-err >&2; sleep 300"));
    dispatcher.assign(node, List.of(t), List.of(), List.of());
    Agent agent = agent();
    await().atMost(WAIT).until(() -> is("logs", TaskState.RUNNING));
    List<LogLine> lines = Collections.synchronizedList(new ArrayList<>());
    await().atMost(WAIT).until(() -> {
      lines.clear();
      List<Boolean> ended = Collections.synchronizedList(new ArrayList<>());
      agent.stream(t, LogRequest.ALL, lines::add, () -> ended.add(true));
      await().atMost(WAIT).until(() -> !ended.isEmpty());
      return lines.size() >= 2;
    });
    assertThat(lines).anySatisfy(l -> {
      assertThat(l.stream()).isEqualTo(1);
      assertThat(new String(l.data(), StandardCharsets.UTF_8)).isEqualTo("to-out\n");
    });
    assertThat(lines).anySatisfy(l -> {
      assertThat(l.stream()).isEqualTo(2);
      assertThat(new String(l.data(), StandardCharsets.UTF_8)).isEqualTo("to-err\n");
    });
    assertThat(lines).allSatisfy(l -> assertThat(l.timestamp()).isAfter(java.time.Instant.now().minusSeconds(600)));

    // follow + tail 0: only what comes after
    List<LogLine> followed = Collections.synchronizedList(new ArrayList<>());
    try (AutoCloseable h = agent.stream(t, new LogRequest(true, 0, null, true, true), followed::add, () -> {})) {
      assertThat(followed).isEmpty();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void ingressPortsArePublishedOnLoopbackAndHostPortsAsAsked() throws Exception {
    int hostPort;
    try (ServerSocket s = new ServerSocket(0)) {
      hostPort = s.getLocalPort();
    }
    ContainerSpec httpd = ContainerSpec.ofImage(IMAGE).withCommand(List.of("httpd", "-f", "-p", "80", "-h", "/www"), null);
    Task ingress = run("web", httpd).withEndpoint(new Endpoint(null,
        List.of(new PortConfig(null, "tcp", 80, 8080, PortConfig.INGRESS)), null));
    Task hostMode = task("webhost", node, httpd, TaskState.RUNNING).withEndpoint(new Endpoint(null,
        List.of(new PortConfig(null, "tcp", 80, hostPort, PortConfig.HOST)), null));
    dispatcher.assign(node, List.of(ingress, hostMode), List.of(), List.of());
    agent();
    await().atMost(WAIT).until(() -> is("web", TaskState.RUNNING) && is("webhost", TaskState.RUNNING));

    assertThat(last("web").portStatus()).isNull(); // no host-mode port: nothing in `docker service ps`
    PortConfig bound = last("web").ingressBindings().get(0);
    assertThat(bound.publishMode()).isEqualTo("ingress");
    assertThat(bound.targetPort()).isEqualTo(80);
    assertThat(bound.publishedPort()).isPositive().isNotEqualTo(8080);
    DockerClient d = DockerExecutor.client(host);
    var bindings = d.inspectContainerCmd("svc.1.web").exec().getNetworkSettings().getPorts().getBindings();
    assertThat(bindings.values().iterator().next()).allSatisfy(b -> assertThat(b.getHostIp()).isEqualTo("127.0.0.1"));
    await().atMost(WAIT).ignoreExceptions().until(() -> get(bound.publishedPort()).contains("Hello from Shoal"));

    PortConfig hb = last("webhost").portStatus().ports().get(0);
    assertThat(hb.publishedPort()).isEqualTo(hostPort);
    assertThat(hb.publishMode()).isEqualTo("host");
    await().atMost(WAIT).ignoreExceptions().until(() -> get(hostPort).contains("Hello from Shoal"));
  }

  private static String get(int port) throws IOException, InterruptedException {
    HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    return c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
        .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  @Test
  void secretsAndConfigsAreMountedReadOnlyFiles() {
    Secret secret = new Secret("sec1", null, null, null, new Secret.Spec("db-pass", Map.of(),
        Base64.getEncoder().encodeToString("hunter2".getBytes(StandardCharsets.UTF_8)), null, null));
    Config config = new Config("cfg1", null, null, null, new Secret.Spec("app-conf", Map.of(),
        Base64.getEncoder().encodeToString("port=80".getBytes(StandardCharsets.UTF_8)), null, null));
    ContainerSpec cs = sh("cat /run/secrets/db-pass; echo; cat /etc/app.conf; echo;"
        + " ls -l /run/secrets/db-pass; (echo x > /run/secrets/db-pass) 2>/dev/null || echo read-only; sleep 300")
        .withSecretsAndConfigs(
            List.of(new SecretReference(new SecretReference.FileTarget("db-pass", "0", "0", 0400), "sec1", "db-pass")),
            List.of(new ConfigReference(new SecretReference.FileTarget("/etc/app.conf", "0", "0", 0444), null, "cfg1", "app-conf")));
    Task t = run("secret", cs);
    dispatcher.assign(node, List.of(t), List.of(secret), List.of(config));
    Agent agent = agent();
    await().atMost(WAIT).until(() -> is("secret", TaskState.RUNNING));
    StringBuilder out = new StringBuilder();
    await().atMost(WAIT).until(() -> {
      out.setLength(0);
      List<Boolean> ended = Collections.synchronizedList(new ArrayList<>());
      agent.stream(t, LogRequest.ALL, l -> {
        synchronized (out) {
          out.append(new String(l.data(), StandardCharsets.UTF_8));
        }
      }, () -> ended.add(true));
      await().atMost(WAIT).until(() -> !ended.isEmpty());
      synchronized (out) {
        return out.toString().contains("read-only");
      }
    });
    assertThat(out.toString()).contains("hunter2").contains("port=80").contains("-r--------");
    // issue 15 (5): the secret never touched the node's disk, only memory, and goes with the task
    assertNoFileContains(dataDir, "hunter2");
    Path memory = Path.of("/dev/shm/shoal-" + node);
    if (SecretMemory.isTmpfs(Path.of("/dev/shm"))) {
      assertThat(memory.resolve("secret").resolve("sec1")).exists();
    }
    dispatcher.assign(node, List.of(), List.of(), List.of());
    DockerClient d = DockerExecutor.client(host);
    await().atMost(WAIT).until(() -> ours(d).isEmpty());
    await().atMost(WAIT).until(() -> !java.nio.file.Files.exists(memory.resolve("secret")));
  }

  private static void assertNoFileContains(Path root, String marker) {
    try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(root)) {
      for (Path f : files.filter(java.nio.file.Files::isRegularFile).toList()) {
        assertThat(java.nio.file.Files.readString(f, StandardCharsets.ISO_8859_1)).as(f.toString()).doesNotContain(marker)
            .doesNotContain(Base64.getEncoder().encodeToString(marker.getBytes(StandardCharsets.UTF_8)));
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
