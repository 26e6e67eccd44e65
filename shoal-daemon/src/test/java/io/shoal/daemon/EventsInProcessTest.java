package io.shoal.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.shoal.agent.exec.HollowExecutor;
import io.shoal.api.json.Json;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** T3: {@code GET /events} of a whole daemon in-process, live and replayed, over real HTTP. */
class EventsInProcessTest {
  @TempDir Path dir;
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
  private final HttpClient http = HttpClient.newHttpClient();
  private Daemon daemon;
  private String base;

  @AfterEach
  void stop() {
    if (daemon != null) daemon.close();
    scheduler.shutdownNow();
  }

  @Test
  void serviceEventsStreamLiveAndReplayWithSinceAndUntil() throws Exception {
    int listen = ApiCalls.freePort();
    DaemonConfig cfg = new DaemonConfig(dir.resolve("data"), List.of("tcp://127.0.0.1:0"), null, "hollow", null,
        "127.0.0.1:" + listen, "127.0.0.1", ApiCalls.freePort(), "t3-events");
    daemon = new Daemon(cfg, Clock.systemUTC(), new SecureRandom(),
        id -> new HollowExecutor("t3-events", Clock.systemUTC(), scheduler, Duration.ofMillis(20)));
    daemon.start();
    base = "http://127.0.0.1:" + daemon.apiPort() + "/v1.44";
    assertThat(call("POST", "/swarm/init", "{\"ListenAddr\":\"127.0.0.1:" + listen + "\"}").statusCode()).isEqualTo(200);
    Instant start = Instant.now();

    String filters = URLEncoder.encode("{\"type\":[\"service\"]}", StandardCharsets.UTF_8);
    HttpResponse<Stream<String>> live = http.send(HttpRequest.newBuilder(URI.create(base + "/events?filters=" + filters)).build(),
        HttpResponse.BodyHandlers.ofLines());
    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(live.headers().firstValue("Content-Type")).hasValue("application/json");
    List<JsonNode> seen = new CopyOnWriteArrayList<>();
    Iterator<String> lines = live.body().iterator();
    Thread reader = new Thread(() -> {
      try {
        while (lines.hasNext()) seen.add(Json.lenient().readTree(lines.next()));
      } catch (Exception ignored) {
        // stream closed
      }
    });
    reader.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> daemon.events().listeners() == 1);

    String spec = "{\"Name\":\"ev\",\"TaskTemplate\":{\"ContainerSpec\":{\"Image\":\"hollow/web:1\"}},\"Mode\":{\"Replicated\":{\"Replicas\":1}}}";
    assertThat(call("POST", "/services/create", spec).statusCode()).isEqualTo(201);
    JsonNode svc = ApiCalls.get(http, base + "/services/ev", Duration.ofSeconds(10));
    String scaled = svc.get("Spec").toString().replace("\"Replicas\":1", "\"Replicas\":2");
    assertThat(call("POST", "/services/ev/update?version=" + svc.get("Version").get("Index").asLong(), scaled).statusCode()).isEqualTo(200);
    assertThat(call("DELETE", "/services/ev", null).statusCode()).isEqualTo(200);

    await().atMost(Duration.ofSeconds(20)).until(() -> seen.stream().anyMatch(e -> e.get("Action").asText().equals("remove")));
    assertThat(seen).allSatisfy(e -> {
      assertThat(e.get("Type").asText()).isEqualTo("service");
      assertThat(e.get("scope").asText()).isEqualTo("swarm");
      assertThat(e.get("Actor").get("Attributes").get("name").asText()).isEqualTo("ev");
      assertThat(e.get("timeNano").asLong() / 1_000_000_000L).isEqualTo(e.get("time").asLong());
    });
    assertThat(seen.get(0).get("Action").asText()).isEqualTo("create");
    assertThat(seen).anySatisfy(e -> assertThat(e.get("Actor").get("Attributes").path("replicas.new").asText()).isEqualTo("2"));

    // the client goes: its subscription ends with it
    live.body().close();
    await().atMost(Duration.ofSeconds(15)).until(() -> daemon.events().listeners() == 0);

    // --since 1m --until 0s: the kept events, then the stream ends by itself
    String window = "since=" + (start.getEpochSecond() - 1) + "&until=" + Instant.now().getEpochSecond() + ".999999999";
    HttpResponse<String> replay = call("GET", "/events?" + window + "&filters=" + filters, null);
    assertThat(replay.statusCode()).isEqualTo(200);
    List<String> actions = new java.util.ArrayList<>();
    for (String l : replay.body().lines().toList()) actions.add(Json.lenient().readTree(l).get("Action").asText());
    assertThat(actions).first().isEqualTo("create");
    assertThat(actions).last().isEqualTo("remove");
    assertThat(actions).contains("update");

    // one socket for everything: without an engine (hollow/process executor) engine paths say so
    HttpResponse<String> ps = call("GET", "/containers/json", null);
    assertThat(ps.statusCode()).isEqualTo(501);
    assertThat(ps.body()).contains("needs a container engine, and this node has none").contains("hollow executor");

    HttpResponse<String> bad = call("GET", "/events?since=20&until=10", null);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("cannot be after `until` time");
  }

  private HttpResponse<String> call(String method, String path, String body) throws Exception {
    return ApiCalls.call(http, method, base + path, body, Duration.ofSeconds(30));
  }
}
