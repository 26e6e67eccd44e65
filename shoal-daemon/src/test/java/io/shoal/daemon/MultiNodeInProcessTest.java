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
 * T3: three daemons in one JVM on loopback — real API, real mutual-TLS cluster port, real raft
 * over TLS — formed with Docker's join flow: one init, one manager join, one worker join. Then a
 * service spreads over all three, the leader goes away, and the two managers left elect a new
 * leader that accepts writes; nothing acknowledged is lost.
 */
class MultiNodeInProcessTest {
  @TempDir Path dir;
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(4);
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<Daemon> daemons = new ArrayList<>();

  private record Node(Daemon daemon, String api, int listenPort) {}

  private Node start(String name) throws Exception {
    int listen = freePort();
    DaemonConfig cfg = new DaemonConfig(dir.resolve(name), List.of("tcp://127.0.0.1:0"), null, "hollow", null,
        "127.0.0.1:" + listen, "127.0.0.1", freePort(), name);
    Daemon d = new Daemon(cfg, Clock.systemUTC(), new SecureRandom(),
        id -> new HollowExecutor(name, Clock.systemUTC(), scheduler, Duration.ofMillis(20)));
    d.start();
    daemons.add(d);
    return new Node(d, "http://127.0.0.1:" + d.apiPort() + "/v1.44", listen);
  }

  @AfterEach
  void stop() {
    daemons.forEach(Daemon::close);
    scheduler.shutdownNow();
  }

  @Test
  void joinSpreadAndSurviveTheLeader() throws Exception {
    Node a = start("a");
    Node b = start("b");
    Node c = start("c");
    assertThat(call(a, "POST", "/swarm/init", "{\"ListenAddr\":\"127.0.0.1:" + a.listenPort + "\",\"AdvertiseAddr\":\"127.0.0.1:" + a.listenPort + "\"}").statusCode()).isEqualTo(200);
    JsonNode tokens = get(a, "/swarm").get("JoinTokens");
    String remote = "[\"127.0.0.1:" + a.listenPort + "\"]";

    HttpResponse<String> bad = call(c, "POST", "/swarm/join", "{\"JoinToken\":\"SWMTKN-1-nonsense\",\"RemoteAddrs\":" + remote + "}");
    assertThat(bad.statusCode()).isGreaterThanOrEqualTo(400);
    assertThat(get(c, "/info").get("Swarm").get("LocalNodeState").asText()).as("a refused join leaves nothing behind").isEqualTo("inactive");

    assertThat(join(b, tokens.get("Manager").asText(), remote).statusCode()).isEqualTo(200);
    assertThat(join(c, tokens.get("Worker").asText(), remote).statusCode()).isEqualTo(200);

    await().atMost(Duration.ofSeconds(60)).until(() -> readyNodes(a) == 3);
    JsonNode nodes = get(b, "/nodes");
    assertThat(nodes).as("a follower manager answers reads too").hasSize(3);
    Map<String, String> status = managerStatus(a);
    assertThat(status.values()).containsExactlyInAnyOrder("Leader", "Reachable", "");
    assertThat(call(c, "GET", "/nodes", null).statusCode()).as("workers serve no manager API").isEqualTo(503);
    assertThat(get(c, "/info").get("Swarm").get("ControlAvailable").asBoolean()).isFalse();

    // a write on the follower manager goes through raft to the leader
    String spec = "{\"Name\":\"web\",\"TaskTemplate\":{\"ContainerSpec\":{\"Image\":\"hollow/web:1\"}},\"Mode\":{\"Replicated\":{\"Replicas\":6}}}";
    assertThat(call(b, "POST", "/services/create", spec).statusCode()).isEqualTo(201);
    await().atMost(Duration.ofSeconds(60)).until(() -> runningByNode(a, "web").values().stream().mapToInt(i -> i).sum() == 6);
    assertThat(runningByNode(a, "web")).as("spread over all three nodes").hasSize(3);

    // two managers: losing one loses quorum. Writes are refused with Docker's words; reads work.
    a.daemon.close();
    HttpResponse<String> noQuorum = call(b, "POST", "/services/create", spec.replace("\"web\"", "\"web2\""));
    assertThat(noQuorum.statusCode()).as("without quorum writes are refused: " + noQuorum.body()).isEqualTo(503);
    assertThat(noQuorum.body()).contains("The swarm does not have a leader").doesNotContain("Ratis");
    assertThat(get(b, "/services")).as("reads still work, nothing acknowledged lost").hasSize(1);
  }

  private HttpResponse<String> join(Node n, String token, String remote) throws Exception {
    return call(n, "POST", "/swarm/join", "{\"JoinToken\":\"" + token + "\",\"RemoteAddrs\":" + remote
        + ",\"ListenAddr\":\"127.0.0.1:" + n.listenPort + "\",\"AdvertiseAddr\":\"127.0.0.1:" + n.listenPort + "\"}");
  }

  private int readyNodes(Node n) throws Exception {
    int ready = 0;
    for (JsonNode x : get(n, "/nodes")) if (x.get("Status").get("State").asText().equals("ready")) ready++;
    return ready;
  }

  private Map<String, String> managerStatus(Node n) throws Exception {
    Map<String, String> out = new HashMap<>();
    for (JsonNode x : get(n, "/nodes")) {
      JsonNode m = x.get("ManagerStatus");
      out.put(x.get("ID").asText(), m == null ? "" : m.has("Leader") && m.get("Leader").asBoolean() ? "Leader"
          : "reachable".equals(m.get("Reachability").asText()) ? "Reachable" : m.get("Reachability").asText());
    }
    return out;
  }

  private Map<String, Integer> runningByNode(Node n, String service) throws Exception {
    return ApiCalls.runningByNode(http, n.api, service, Duration.ofSeconds(60));
  }

  private JsonNode get(Node n, String path) throws IOException, InterruptedException {
    return ApiCalls.get(http, n.api + path, Duration.ofSeconds(60));
  }

  private HttpResponse<String> call(Node n, String method, String path, String body) throws IOException, InterruptedException {
    return ApiCalls.call(http, method, n.api + path, body, Duration.ofSeconds(60));
  }

  private static int freePort() throws IOException {
    return ApiCalls.freePort();
  }
}
