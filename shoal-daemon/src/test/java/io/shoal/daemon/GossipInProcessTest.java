package io.shoal.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.shoal.agent.exec.HollowExecutor;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * T3: every node is a gossip member with keys from raft, and the leader's dispatcher takes gossip's
 * confirmed-dead verdict: with a 60 s heartbeat (DOWN after 180 s by heartbeats alone) a stopped
 * worker is DOWN well within the wait below, which only gossip can do.
 */
class GossipInProcessTest {
  @TempDir Path dir;
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<Daemon> daemons = new ArrayList<>();

  private record Node(Daemon daemon, String api, int listenPort) {}

  private Node start(String name) throws Exception {
    int listen = ApiCalls.freePort();
    DaemonConfig cfg = new DaemonConfig(dir.resolve(name), List.of("tcp://127.0.0.1:0"), null, "hollow", null,
        "127.0.0.1:" + listen, "127.0.0.1", ApiCalls.freePort(), name);
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

  private JsonNode get(Node n, String path) throws Exception {
    return ApiCalls.get(http, n.api + path, Duration.ofSeconds(60));
  }

  private String stateOf(Node leader, String hostname) throws Exception {
    for (JsonNode x : get(leader, "/nodes")) {
      if (x.get("Description").get("Hostname").asText().equals(hostname)) return x.get("Status").get("State").asText();
    }
    return null;
  }

  @Test
  void aStoppedWorkerIsDownByGossipLongBeforeHeartbeatsWouldTell() throws Exception {
    Node a = start("a");
    Node b = start("b");
    String init = "{\"ListenAddr\":\"127.0.0.1:" + a.listenPort + "\",\"AdvertiseAddr\":\"127.0.0.1:" + a.listenPort
        + "\",\"Spec\":{\"Dispatcher\":{\"HeartbeatPeriod\":60000000000}}}";
    assertThat(ApiCalls.call(http, "POST", a.api + "/swarm/init", init, Duration.ofSeconds(60)).statusCode()).isEqualTo(200);
    assertThat(get(a, "/swarm").get("Spec").get("Dispatcher").get("HeartbeatPeriod").asLong()).isEqualTo(60_000_000_000L);
    assertThat(get(a, "/swarm").has("NetworkBootstrapKeys")).as("gossip keys never on the API").isFalse();
    String token = get(a, "/swarm").get("JoinTokens").get("Worker").asText();
    String join = "{\"JoinToken\":\"" + token + "\",\"RemoteAddrs\":[\"127.0.0.1:" + a.listenPort + "\"],\"ListenAddr\":\"127.0.0.1:"
        + b.listenPort + "\",\"AdvertiseAddr\":\"127.0.0.1:" + b.listenPort + "\"}";
    assertThat(ApiCalls.call(http, "POST", b.api + "/swarm/join", join, Duration.ofSeconds(60)).statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(60)).until(() -> "ready".equals(stateOf(a, "b")));
    // the worker joined gossip through the leader's member when its registration answer carried the
    // keys, before the leader wrote it READY

    b.daemon().close();
    await().atMost(Duration.ofSeconds(60)).until(() -> "down".equals(stateOf(a, "b")));
  }
}
