package io.shoal.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.shoal.agent.exec.HollowExecutor;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * T3, issue 15 (3) and issue 11 (5): three managers with a 2 s dispatcher heartbeat stop together
 * and come back one after the other, as a supervisor restarts them, in either order. Each node's
 * executor outlives its daemon (the hollow tasks keep "running", as containers outlive dockerd's
 * client), so the restarted agents must adopt every task: same task ids, none replaced, no node
 * marked down for the time the others took to start or to elect a leader.
 */
class RestartAdoptionInProcessTest {
  @TempDir Path dir;
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(4);
  private final HttpClient http = HttpClient.newHttpClient();
  private final Map<String, HollowExecutor> executors = new HashMap<>();
  private final Map<String, DaemonConfig> configs = new HashMap<>();
  private final Map<String, Daemon> running = new HashMap<>();
  private final List<Daemon> all = new ArrayList<>();

  private String start(String name) throws Exception {
    DaemonConfig cfg = configs.computeIfAbsent(name, n -> {
      try {
        return new DaemonConfig(dir.resolve(n), List.of("tcp://127.0.0.1:0"), null, "hollow", null,
            "127.0.0.1:" + ApiCalls.freePort(), "127.0.0.1", ApiCalls.freePort(), n);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    HollowExecutor ex = executors.computeIfAbsent(name, n -> new HollowExecutor(n, Clock.systemUTC(), scheduler, Duration.ofMillis(20)));
    Daemon d = new Daemon(cfg, Clock.systemUTC(), new SecureRandom(), id -> ex);
    d.start();
    all.add(d);
    running.put(name, d);
    return api(name);
  }

  private String api(String name) {
    return "http://127.0.0.1:" + running.get(name).apiPort() + "/v1.44";
  }

  @AfterEach
  void stop() {
    all.forEach(Daemon::close);
    scheduler.shutdownNow();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"leader-last", "leader-first"})
  void aFullRestartAdoptsEveryRunningTask(String order) throws Exception {
    String a = start("a");
    start("b");
    start("c");
    String listenA = configs.get("a").listenAddr();
    assertThat(call(a, "POST", "/swarm/init", "{\"ListenAddr\":\"" + listenA + "\",\"AdvertiseAddr\":\"" + listenA
        + "\",\"Spec\":{\"Dispatcher\":{\"HeartbeatPeriod\":2000000000}}}").statusCode()).isEqualTo(200);
    String token = get(a, "/swarm").get("JoinTokens").get("Manager").asText();
    for (String n : List.of("b", "c")) {
      String listen = configs.get(n).listenAddr();
      HttpResponse<String> joined = call(api(n), "POST", "/swarm/join", "{\"JoinToken\":\"" + token + "\",\"RemoteAddrs\":[\""
          + listenA + "\"],\"ListenAddr\":\"" + listen + "\",\"AdvertiseAddr\":\"" + listen + "\"}");
      assertThat(joined.statusCode()).as(joined.body()).isEqualTo(200);
    }
    await().atMost(Duration.ofSeconds(90)).until(() -> readyNodes(a) == 3);
    String spec = "{\"Name\":\"web\",\"TaskTemplate\":{\"ContainerSpec\":{\"Image\":\"hollow/web:1\"}},\"Mode\":{\"Replicated\":{\"Replicas\":6}}}";
    assertThat(call(a, "POST", "/services/create", spec).statusCode()).isEqualTo(201);
    await().atMost(Duration.ofSeconds(90)).until(() -> runningIds(a).size() == 6
        && ApiCalls.runningByNode(http, a, "web", Duration.ofSeconds(30)).size() == 3);
    Set<String> before = runningIds(a);
    String leader = leaderName(a);

    for (Daemon d : running.values()) d.close();
    running.clear();
    List<String> names = new ArrayList<>(List.of("a", "b", "c"));
    names.remove(leader);
    if (order.equals("leader-last")) names.add(leader);
    else names.add(0, leader);
    System.out.printf("restart order (%s): %s%n", order, names);
    for (String n : names) start(n);

    String any = api(names.get(0));
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
        .until(() -> readyNodes(any) == 3 && runningIds(any).size() == 6);
    assertThat(runningIds(any)).as("every task adopted, none replaced").isEqualTo(before);
    assertThat(taskIds(any)).as("no task created after the restart").isEqualTo(before);
    assertThat(executors.values().stream().mapToInt(HollowExecutor::count).sum()).as("no duplicate 'containers'").isEqualTo(6);
  }

  private String leaderName(String api) throws Exception {
    for (JsonNode n : get(api, "/nodes")) {
      JsonNode m = n.get("ManagerStatus");
      if (m != null && m.has("Leader") && m.get("Leader").asBoolean()) return n.get("Description").get("Hostname").asText();
    }
    throw new AssertionError("no leader");
  }

  private int readyNodes(String api) throws Exception {
    int ready = 0;
    for (JsonNode x : get(api, "/nodes")) if (x.get("Status").get("State").asText().equals("ready")) ready++;
    return ready;
  }

  private Set<String> runningIds(String api) throws Exception {
    Set<String> out = new TreeSet<>();
    for (JsonNode t : ApiCalls.runningTasks(http, api, "web", Duration.ofSeconds(30))) out.add(t.get("ID").asText());
    return out;
  }

  private Set<String> taskIds(String api) throws Exception {
    Set<String> out = new TreeSet<>();
    for (JsonNode t : get(api, "/tasks")) out.add(t.get("ID").asText());
    return out;
  }

  private JsonNode get(String api, String path) throws IOException, InterruptedException {
    return ApiCalls.get(http, api + path, Duration.ofSeconds(60));
  }

  private HttpResponse<String> call(String api, String method, String path, String body) throws IOException, InterruptedException {
    // a manager join waits for raft to admit it: slow on a loaded 2-core machine
    return ApiCalls.call(http, method, api + path, body, Duration.ofSeconds(180));
  }
}
