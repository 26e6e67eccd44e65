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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * T3, issue 15 (2): three managers lose two for good; {@code swarm init --force-new-cluster} on
 * the survivor keeps the state, makes it the only manager and writable at once, and an old
 * manager that comes back is refused by the cluster (its node is removed from the swarm).
 */
class ForceNewClusterInProcessTest {
  @TempDir Path dir;
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(4);
  private final HttpClient http = HttpClient.newHttpClient();
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
    Daemon d = new Daemon(cfg, Clock.systemUTC(), new SecureRandom(),
        id -> new HollowExecutor(name, Clock.systemUTC(), scheduler, Duration.ofMillis(20)));
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

  @Test
  void theSurvivorForcesANewClusterAndOldManagersAreRefused() throws Exception {
    String a = start("a");
    start("b");
    start("c");
    String listenA = configs.get("a").listenAddr();
    assertThat(call(a, "POST", "/swarm/init", "{\"ListenAddr\":\"" + listenA + "\",\"AdvertiseAddr\":\"" + listenA + "\"}")
        .statusCode()).isEqualTo(200);
    String token = get(a, "/swarm").get("JoinTokens").get("Manager").asText();
    for (String n : List.of("b", "c")) {
      String listen = configs.get(n).listenAddr();
      HttpResponse<String> joined = call(api(n), "POST", "/swarm/join", "{\"JoinToken\":\"" + token + "\",\"RemoteAddrs\":[\""
          + listenA + "\"],\"ListenAddr\":\"" + listen + "\",\"AdvertiseAddr\":\"" + listen + "\"}");
      assertThat(joined.statusCode()).as(joined.body()).isEqualTo(200);
    }
    String spec = "{\"Name\":\"web\",\"TaskTemplate\":{\"ContainerSpec\":{\"Image\":\"hollow/web:1\"}},\"Mode\":{\"Replicated\":{\"Replicas\":3}}}";
    assertThat(call(a, "POST", "/services/create", spec).statusCode()).isEqualTo(201);
    String bId = io.shoal.daemon.swarm.NodeState.read(dir.resolve("b")).nodeID();
    long servicesBefore = get(a, "/services").size();

    // two of three managers are lost for good: no quorum
    running.remove("b").close();
    running.remove("c").close();
    HttpResponse<String> refused = call(a, "POST", "/services/create", spec.replace("\"web\"", "\"lost\""));
    assertThat(refused.statusCode()).isEqualTo(503);

    HttpResponse<String> forced = call(a, "POST", "/swarm/init", "{\"ListenAddr\":\"" + listenA + "\",\"ForceNewCluster\":true}");
    assertThat(forced.statusCode()).as(forced.body()).isEqualTo(200);
    // writable at once, the state kept, this node the only manager
    HttpResponse<String> after = call(api("a"), "POST", "/services/create", spec.replace("\"web\"", "\"after\""));
    assertThat(after.statusCode()).as(after.body()).isEqualTo(201);
    assertThat(get(api("a"), "/services")).hasSize((int) servicesBefore + 1);
    List<String> managers = new ArrayList<>();
    for (JsonNode n : get(api("a"), "/nodes")) if (n.has("ManagerStatus")) managers.add(n.get("ID").asText());
    assertThat(managers).containsExactly(io.shoal.daemon.swarm.NodeState.read(dir.resolve("a")).nodeID());
    assertThat(running.get("a").manager().peers()).hasSize(1);

    // an old manager comes back: the swarm refuses it and says what to do
    start("b");
    await().atMost(Duration.ofSeconds(60)).until(() -> running.get("a").manager().store()
        .view(tx -> tx.cluster().removed(bId)));
    assertThat(get(api("a"), "/nodes")).noneMatch(n -> n.get("ID").asText().equals(bId));
    assertThat(running.get("a").manager().peers()).hasSize(1);
    HttpResponse<String> write = call(api("a"), "POST", "/services/create", spec.replace("\"web\"", "\"later\""));
    assertThat(write.statusCode()).as("still writable with the old manager back").isEqualTo(201);
  }

  private JsonNode get(String api, String path) throws IOException, InterruptedException {
    return ApiCalls.get(http, api + path, Duration.ofSeconds(60));
  }

  private HttpResponse<String> call(String api, String method, String path, String body) throws IOException, InterruptedException {
    return ApiCalls.call(http, method, api + path, body, Duration.ofSeconds(180));
  }
}
