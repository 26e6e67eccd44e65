package io.shoal.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.shoal.agent.exec.HollowExecutor;
import io.shoal.api.json.Json;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * T3: the whole daemon in-process — real HTTP API on loopback, real raft (one peer) on disk,
 * real orchestrator, scheduler and dispatcher, a real agent — with the hollow executor standing
 * in for the engine. Speaks to it exactly as the docker CLI does: Docker's paths and JSON.
 */
class DaemonInProcessTest {
  @TempDir Path dir;
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
  private final HttpClient http = HttpClient.newHttpClient();
  private Daemon daemon;
  private String base;
  private int listenPort;

  private Daemon start() throws Exception {
    if (listenPort == 0) listenPort = freePort();
    DaemonConfig cfg = new DaemonConfig(dir.resolve("data"), List.of("tcp://127.0.0.1:0"), null, "hollow", null,
        "127.0.0.1:" + listenPort, "127.0.0.1", freePort(), "t3-node");
    Daemon d = new Daemon(cfg, Clock.systemUTC(), new SecureRandom(),
        id -> new HollowExecutor("t3-node", Clock.systemUTC(), scheduler, Duration.ofMillis(20)));
    d.start();
    base = "http://127.0.0.1:" + d.apiPort() + "/v1.44";
    return d;
  }

  @AfterEach
  void stop() {
    if (daemon != null) daemon.close();
    scheduler.shutdownNow();
  }

  @Test
  void swarmServicesAndRestartThroughTheDockerApi() throws Exception {
    daemon = start();
    assertThat(get("/info").get("Swarm").get("LocalNodeState").asText()).isEqualTo("inactive");
    assertThat(call("GET", "/services", null).statusCode()).isEqualTo(503);

    HttpResponse<String> init = call("POST", "/swarm/init", "{\"ListenAddr\":\"127.0.0.1:" + listenPort + "\",\"AdvertiseAddr\":\"127.0.0.1\"}");
    assertThat(init.statusCode()).isEqualTo(200);
    String nodeId = Json.lenient().readTree(init.body()).asText();
    assertThat(call("POST", "/swarm/init", "{}").statusCode()).as("a second init is refused").isEqualTo(503);

    JsonNode nodes = get("/nodes");
    assertThat(nodes).hasSize(1);
    assertThat(nodes.get(0).get("ID").asText()).isEqualTo(nodeId);
    assertThat(nodes.get(0).get("ManagerStatus").get("Leader").asBoolean()).isTrue();
    await().atMost(Duration.ofSeconds(20)).until(() -> get("/nodes").get(0).get("Status").get("State").asText().equals("ready"));

    String spec = "{\"Name\":\"web\",\"TaskTemplate\":{\"ContainerSpec\":{\"Image\":\"hollow/web:1\"}},"
        + "\"Mode\":{\"Replicated\":{\"Replicas\":3}},\"EndpointSpec\":{\"Ports\":[{\"TargetPort\":80,\"PublishedPort\":0}]}}";
    HttpResponse<String> created = call("POST", "/services/create", spec);
    assertThat(created.statusCode()).isEqualTo(201);
    String id = Json.lenient().readTree(created.body()).get("ID").asText();
    awaitRunning("web", 3);
    JsonNode svc = get("/services/web");
    assertThat(svc.get("Endpoint").get("Ports").get(0).get("PublishedPort").asInt()).as("dynamic ingress port").isBetween(30000, 32767);

    // bad input: each a clear error, and nothing changes
    long version = svc.get("Version").get("Index").asLong();
    assertThat(call("POST", "/services/create", spec).statusCode()).as("duplicate name").isEqualTo(409);
    assertThat(call("POST", "/services/create", "{\"Name\":\"x\",").statusCode()).as("malformed JSON").isEqualTo(400);
    // a field of the Engine API that Shoal does not honour is refused (one it does not define is
    // skipped as dockerd skips it: StrictBodyTest)
    HttpResponse<String> unknown = call("POST", "/services/create",
        "{\"Name\":\"x\",\"TaskTemplate\":{\"ContainerSpec\":{\"Image\":\"a\"},\"Resources\":{\"SwapBytes\":1}}}");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.body()).contains("not supported by Shoal").contains("SwapBytes");
    assertThat(call("POST", "/services/create", "null").statusCode()).as("a null body").isEqualTo(400);
    assertThat(call("POST", "/services/create", spec.replace("\"web\"", "\"neg\"").replace("3}", "-1}")).statusCode()).as("replicas < 0").isEqualTo(400);
    String scaled = svc.get("Spec").toString().replace("\"Replicas\":3", "\"Replicas\":5");
    assertThat(call("POST", "/services/" + id + "/update?version=" + (version - 1), scaled).statusCode()).as("stale version").isEqualTo(409);
    assertThat(get("/services")).hasSize(1);
    assertThat(get("/services/web").get("Version").get("Index").asLong()).isEqualTo(version);

    assertThat(call("POST", "/services/" + id + "/update?version=" + version, scaled).statusCode()).isEqualTo(200);
    awaitRunning("web", 5);

    // restart: the store comes back from raft, the service is intact and converges again
    daemon.close();
    daemon = start();
    assertThat(get("/services/web").get("Spec").get("Mode").get("Replicated").get("Replicas").asInt()).isEqualTo(5);
    awaitRunning("web", 5);

    assertThat(call("DELETE", "/services/web", null).statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(30)).until(() -> get("/tasks").size() == 0);
    assertThat(call("GET", "/services/web", null).statusCode()).isEqualTo(404);
  }

  private void awaitRunning(String service, int n) {
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
      JsonNode tasks = get("/tasks?filters=" + URLEncoder.encode("{\"service\":[\"" + service + "\"],\"desired-state\":[\"running\"]}", StandardCharsets.UTF_8));
      int running = 0;
      for (JsonNode t : tasks) if (t.get("Status").get("State").asText().equals("running")) running++;
      return running == n;
    });
  }

  private JsonNode get(String path) throws IOException, InterruptedException {
    return ApiCalls.get(http, base + path, Duration.ofSeconds(30));
  }

  private HttpResponse<String> call(String method, String path, String body) throws IOException, InterruptedException {
    return ApiCalls.call(http, method, base + path, body, Duration.ofSeconds(30));
  }

  private static int freePort() throws IOException {
    return ApiCalls.freePort();
  }
}
