package io.shoal.daemon.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.shoal.agent.exec.HollowExecutor;
import io.shoal.api.json.Json;
import io.shoal.daemon.Daemon;
import io.shoal.daemon.DaemonConfig;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * T3: a whole daemon with {@code --metrics-addr} and {@code --ui-addr} on loopback (hollow
 * executor): the metrics families are there, and move when a service is created and scaled; the
 * console's state and its event stream follow the same changes without being asked again.
 */
class OperationsInProcessTest {
  @TempDir Path dir;
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
  private final HttpClient http = HttpClient.newHttpClient();
  private Daemon daemon;
  private String api;

  @AfterEach
  void stop() {
    if (daemon != null) daemon.close();
    scheduler.shutdownNow();
  }

  private Daemon start(int listenPort) throws Exception {
    DaemonConfig cfg = new DaemonConfig(dir.resolve("data"), List.of("tcp://127.0.0.1:0"), null, "hollow", null,
        "127.0.0.1:" + listenPort, "127.0.0.1", freePort(), "ops-node");
    Clock clock = Clock.systemUTC();
    Daemon d = new Daemon(cfg, clock, new SecureRandom(),
        id -> new HollowExecutor("ops-node", clock, scheduler, Duration.ofMillis(20)),
        c -> clock.instant().plus(Duration.ofDays(30)),
        node -> new Operations(OpsAddress.parse("--metrics-addr", "127.0.0.1:0"), OpsAddress.parse("--ui-addr", "127.0.0.1:0"), node, clock));
    d.start();
    api = "http://127.0.0.1:" + d.apiPort() + "/v1.44";
    return d;
  }

  @Test
  void metricsAndConsoleFollowServicesBeingCreatedAndScaled() throws Exception {
    int listen = freePort();
    daemon = start(listen);
    String metrics = "http://127.0.0.1:" + daemon.metricsPort() + "/metrics";
    String ui = "http://127.0.0.1:" + daemon.uiPort();

    // outside a swarm: JVM meters are there, manager gauges are NaN, the console says why it is empty
    String before = get(metrics).body();
    assertThat(before).contains("jvm_memory_used_bytes").contains("jvm_gc_").contains("process_uptime_seconds");
    assertThat(value(before, "shoal_raft_term", "")).isNaN();
    assertThat(Json.lenient().readTree(get(ui + "/api/state").body()).get("Error").asText()).contains("not in a swarm");
    assertThat(get(metrics.replace("/metrics", "/other")).statusCode()).isEqualTo(404);

    assertThat(call("POST", api + "/swarm/init", "{\"ListenAddr\":\"127.0.0.1:" + listen + "\",\"AdvertiseAddr\":\"127.0.0.1\"}").statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(60)).until(() -> value(get(metrics).body(), "shoal_dispatcher_nodes", "{availability=\"active\",role=\"manager\",state=\"ready\"}") == 1);

    // the page's event stream, open before the service exists: every state it is sent is kept
    List<JsonNode> pushed = new CopyOnWriteArrayList<>();
    HttpResponse<InputStream> events = http.send(HttpRequest.newBuilder(URI.create(ui + "/api/events")).build(), HttpResponse.BodyHandlers.ofInputStream());
    assertThat(events.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(events.body(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) if (line.startsWith("data: ")) pushed.add(Json.lenient().readTree(line.substring(6)));
      } catch (Exception ignored) {
        // closed at the end of the test
      }
    });
    reader.setDaemon(true);
    reader.start();

    String spec = "{\"Name\":\"web\",\"TaskTemplate\":{\"ContainerSpec\":{\"Image\":\"hollow/web:1\"}},"
        + "\"Mode\":{\"Replicated\":{\"Replicas\":2}},\"EndpointSpec\":{\"Ports\":[{\"TargetPort\":80,\"PublishedPort\":8080}]}}";
    assertThat(call("POST", api + "/services/create", spec).statusCode()).isEqualTo(201);
    await().atMost(Duration.ofSeconds(90)).until(() -> value(get(metrics).body(), "shoal_orchestrator_tasks", "{service=\"web\",state=\"running\"}") == 2);
    String two = get(metrics).body();
    double placements = value(two, "shoal_scheduler_placements_total", "");
    double commits = value(two, "shoal_store_commits_total", "");
    assertThat(placements).isGreaterThanOrEqualTo(2);
    assertThat(value(two, "shoal_orchestrator_desired_tasks", "{service=\"web\"}")).isEqualTo(2);
    assertThat(value(two, "shoal_agent_tasks", "{state=\"running\"}")).isEqualTo(2);
    assertThat(value(two, "shoal_raft_term", "")).isGreaterThanOrEqualTo(1);
    assertThat(value(two, "shoal_raft_leader", "")).isEqualTo(1);
    assertThat(value(two, "shoal_dispatcher_sessions", "")).isEqualTo(1);
    assertThat(value(two, "shoal_api_request_seconds_count", "{method=\"POST\",route=\"/services/create\",status=\"201\"}")).isEqualTo(1);
    assertThat(two).contains("shoal_raft_proposal_seconds_bucket").contains("shoal_scheduler_placement_latency_seconds_count")
        .contains("shoal_agent_engine_call_seconds_count{call=\"start\",outcome=\"ok\"}").contains("shoal_store_group_actions")
        .contains("shoal_store_watch_queue_depth_events").contains("shoal_raft_leader_changes_total").contains("shoal_raft_apply_lag_entries")
        .contains("shoal_orchestrator_task_transitions_total{state=\"running\"}")
        .contains("shoal_network_view_version").contains("shoal_network_networks");
    assertThat(two).as("no task id is a label value").doesNotContainPattern("\\{[^}]*=\"[0-9a-z]{25}\"");

    JsonNode svc = Json.lenient().readTree(get(api + "/services/web").body());
    String scaled = svc.get("Spec").toString().replace("\"Replicas\":2", "\"Replicas\":4");
    assertThat(call("POST", api + "/services/web/update?version=" + svc.get("Version").get("Index").asLong(), scaled).statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(90)).until(() -> value(get(metrics).body(), "shoal_orchestrator_tasks", "{service=\"web\",state=\"running\"}") == 4);
    String four = get(metrics).body();
    assertThat(value(four, "shoal_scheduler_placements_total", "")).isGreaterThanOrEqualTo(placements + 2);
    assertThat(value(four, "shoal_store_commits_total", "")).isGreaterThan(commits);
    assertThat(value(four, "shoal_orchestrator_desired_tasks", "{service=\"web\"}")).isEqualTo(4);

    // the console: its state, and the stream pushed the scaled service without being asked
    // the feed rebuilds the view a moment after the commits that the metrics already read
    await().atMost(Duration.ofSeconds(30)).until(() -> Json.lenient().readTree(get(ui + "/api/state").body())
        .get("Services").get(0).get("Running").asInt() == 4);
    JsonNode state = Json.lenient().readTree(get(ui + "/api/state").body());
    assertThat(state.get("Services").get(0).get("Ports").get(0).asText()).isEqualTo("8080->80/tcp");
    assertThat(state.get("Nodes").get(0).get("Leader").asBoolean()).isTrue();
    await().atMost(Duration.ofSeconds(30)).until(() -> !pushed.isEmpty()
        && pushed.get(pushed.size() - 1).get("Services").size() == 1
        && pushed.get(pushed.size() - 1).get("Services").get(0).get("Running").asInt() == 4);
    assertThat(pushed.get(0).get("Services")).as("the first push came before the service existed").isEmpty();
    assertThat(get(ui + "/").body()).contains("<script src=\"console.js\">");
    assertThat(get(ui + "/console.js").body()).contains("EventSource");
    assertThat(call("POST", ui + "/api/state", "{}").statusCode()).as("read-only").isEqualTo(405);
    events.body().close();
  }

  @Test
  void addressesAreCheckedAndNonLoopbackWaitsForTheSwarm() {
    assertThat(OpsAddress.parse("--metrics-addr", "127.0.0.1:9323").loopback()).isTrue();
    assertThat(OpsAddress.parse("--metrics-addr", "[::1]:9323").loopback()).isTrue();
    assertThat(OpsAddress.parse("--metrics-addr", ":9323").host()).isEqualTo("0.0.0.0");
    assertThat(OpsAddress.parse("--metrics-addr", ":9323").loopback()).isFalse();
    assertThat(OpsAddress.parse("--ui-addr", "10.0.0.5:8080").loopback()).isFalse();
    for (String bad : new String[] {"", "9323", "host:port", "1.2.3.4:70000", "::1:9323"}) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> OpsAddress.parse("--metrics-addr", bad))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid --metrics-addr");
    }
  }

  /** The sample's value: {@code labels} is the exact label set as printed ("" for none); NaN if absent. */
  static double value(String scrape, String name, String labels) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name + labels) + " (\\S+)$").matcher(scrape);
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }

  private HttpResponse<String> get(String url) throws Exception {
    return call("GET", url, null);
  }

  /** Generous: swarm init alone took 18-30 s here while other builds and T4 runs shared the two cores. */
  private HttpResponse<String> call(String method, String url, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) b.header("Content-Type", "application/json");
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
