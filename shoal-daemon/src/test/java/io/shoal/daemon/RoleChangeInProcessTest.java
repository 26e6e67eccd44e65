package io.shoal.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.shoal.agent.exec.HollowExecutor;
import io.shoal.ca.CertificateStore;
import io.shoal.ca.Pem;
import io.shoal.daemon.swarm.NodeState;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * T3: certificates renewed while the swarm works, and {@code node promote/demote} taking effect
 * on the node itself — two daemons in one JVM on loopback with real TLS, gRPC and raft.
 */
class RoleChangeInProcessTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  @TempDir Path dir;
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(4);
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<Daemon> daemons = new ArrayList<>();

  private record N(Daemon daemon, String api, int listenPort, Path root) {}

  private N start(String name, Function<X509Certificate, Instant> renewAt) throws Exception {
    return start(name, renewAt, Clock.systemUTC(), freePort(), freePort());
  }

  private N start(String name, Function<X509Certificate, Instant> renewAt, Clock clock, int listen, int raftPort) throws Exception {
    Path root = dir.resolve(name);
    // every node is configured for the TLS API (port 0: any free one); only managers open it
    DaemonConfig cfg = new DaemonConfig(root, List.of("tcp://127.0.0.1:0"), null, "hollow", null,
        "127.0.0.1:" + listen, "127.0.0.1", raftPort, name, null, "127.0.0.1:0");
    Daemon d = renewAt == null
        ? new Daemon(cfg, clock, new SecureRandom(), id -> new HollowExecutor(name, clock, scheduler, Duration.ofMillis(20)))
        : new Daemon(cfg, clock, new SecureRandom(), id -> new HollowExecutor(name, clock, scheduler, Duration.ofMillis(20)), renewAt);
    d.start();
    daemons.add(d);
    return new N(d, "http://127.0.0.1:" + d.apiPort() + "/v1.44", listen, root);
  }

  @AfterEach
  void stop() {
    daemons.forEach(Daemon::close);
    scheduler.shutdownNow();
  }

  /** A manager and a worker whose certificates renew every 2 s: the swarm keeps working throughout. */
  @Test
  void certificatesRenewWithoutRestartAndConnectionsKeepWorking() throws Exception {
    Function<X509Certificate, Instant> every2s = cert -> Instant.now().plusSeconds(2);
    N a = start("a", every2s);
    N c = start("c", every2s);
    init(a);
    assertThat(join(c, get(a, "/swarm").get("JoinTokens").get("Worker").asText(), a).statusCode()).isEqualTo(200);
    await().atMost(WAIT).until(() -> readyNodes(a) == 2);

    BigSerials serials = new BigSerials();
    serials.add(cert(a));
    serials.add(cert(c));
    // --cert-expiry: certificates issued from now on live 2 h instead of 90 days
    JsonNode swarm = get(a, "/swarm");
    String spec = swarm.get("Spec").toString().replaceFirst("\"NodeCertExpiry\":\\d+", "\"NodeCertExpiry\":" + Duration.ofHours(2).toNanos());
    assertThat(call(a, "POST", "/swarm/update?version=" + swarm.get("Version").get("Index").asLong(), spec).statusCode()).isEqualTo(200);
    HttpResponse<String> tooShort = call(a, "POST", "/swarm/update?version=" + get(a, "/swarm").get("Version").get("Index").asLong(),
        spec.replaceFirst("\"NodeCertExpiry\":\\d+", "\"NodeCertExpiry\":" + Duration.ofMinutes(30).toNanos()));
    assertThat(tooShort.statusCode()).isEqualTo(400);
    assertThat(tooShort.body()).contains("minimum certificate expiry time is 1h0m0s");

    await().atMost(WAIT).until(() -> {
      serials.add(cert(a));
      serials.add(cert(c));
      return serials.count() >= 6 && life(cert(a)).compareTo(Duration.ofHours(4)) < 0 && life(cert(c)).compareTo(Duration.ofHours(4)) < 0;
    });
    // notBefore is back-dated an hour for clock skew: 2 h of life from now = 3 h in the certificate
    assertThat(life(cert(c))).isBetween(Duration.ofHours(3).minusMinutes(1), Duration.ofHours(3).plusSeconds(1));
    assertThat(Files.getPosixFilePermissions(new CertificateStore(c.root).nodeKeyPath()))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));

    // with the certificates replaced several times over, the worker still gets work and reports
    String svc = "{\"Name\":\"web\",\"TaskTemplate\":{\"ContainerSpec\":{\"Image\":\"hollow/web:1\"}},\"Mode\":{\"Replicated\":{\"Replicas\":4}}}";
    assertThat(call(a, "POST", "/services/create", svc).statusCode()).isEqualTo(201);
    await().atMost(WAIT).until(() -> runningByNode(a, "web").size() == 2
        && runningByNode(a, "web").values().stream().mapToInt(i -> i).sum() == 4);
    assertThat(readyNodes(a)).isEqualTo(2);
  }

  /** promote: the worker gets a manager certificate, joins raft, serves the API; demote: back, tasks untouched. */
  @Test
  void promoteAndDemoteTakeEffectOnTheNode() throws Exception {
    N a = start("a", null);
    N c = start("c", null);
    init(a);
    assertThat(join(c, get(a, "/swarm").get("JoinTokens").get("Worker").asText(), a).statusCode()).isEqualTo(200);
    await().atMost(WAIT).until(() -> readyNodes(a) == 2);
    String cId = get(c, "/info").get("Swarm").get("NodeID").asText();
    String aId = get(a, "/info").get("Swarm").get("NodeID").asText();

    String svc = "{\"Name\":\"web\",\"TaskTemplate\":{\"ContainerSpec\":{\"Image\":\"hollow/web:1\"}},\"Mode\":{\"Replicated\":{\"Replicas\":4}}}";
    assertThat(call(a, "POST", "/services/create", svc).statusCode()).isEqualTo(201);
    await().atMost(WAIT).until(() -> runningByNode(a, "web").getOrDefault(cId, 0) > 0
        && runningByNode(a, "web").values().stream().mapToInt(i -> i).sum() == 4);
    Set<String> tasksOnC = runningTaskIds(a, "web", cId);
    assertThat(c.daemon.tlsApiPort()).as("a worker serves no TLS API").isEqualTo(-1);

    HttpResponse<String> last = setRole(a, aId, "worker");
    assertThat(last.statusCode()).as(last.body()).isEqualTo(400);
    assertThat(last.body()).contains("attempting to demote the last manager of the swarm");

    // promote
    assertThat(setRole(a, cId, "manager").statusCode()).isEqualTo(200);
    await().atMost(WAIT).until(() -> a.daemon.manager().peers().size() == 2 && c.daemon.manager() != null);
    await().atMost(WAIT).until(() -> "Reachable".equals(managerStatus(a).get(cId)));
    assertThat(cert(c).getSubjectX500Principal().getName()).contains("OU=swarm-manager");
    await().atMost(WAIT).until(() -> call(c, "GET", "/nodes", null).statusCode() == 200 && get(c, "/nodes").size() == 2);
    assertThat(get(c, "/info").get("Swarm").get("ControlAvailable").asBoolean()).isTrue();
    assertThat(NodeState.read(c.root).role()).isEqualTo("manager");
    await().atMost(WAIT).until(() -> c.daemon.tlsApiPort() > 0); // the promoted manager opens it
    assertThat(runningTaskIds(a, "web", cId)).as("promotion leaves the node's tasks alone").isEqualTo(tasksOnC);

    // demote (from the promoted node itself, a follower: the write goes through raft)
    HttpResponse<String> demote = setRole(c, cId, "worker");
    assertThat(demote.statusCode()).as(demote.body()).isEqualTo(200);
    await().atMost(WAIT).until(() -> a.daemon.manager().peers().size() == 1 && c.daemon.manager() == null);
    await().atMost(WAIT).until(() -> cert(c).getSubjectX500Principal().getName().contains("OU=swarm-worker"));
    assertThat(call(c, "GET", "/nodes", null).statusCode()).as("a worker serves no manager API").isEqualTo(503);
    assertThat(managerStatus(a).get(cId)).isEmpty();
    // the state file is written after the manager has closed (raft's close takes a while under load)
    await().atMost(WAIT).until(() -> "worker".equals(NodeState.read(c.root).role()));
    await().atMost(WAIT).until(() -> c.daemon.tlsApiPort() == -1); // and closes it when demoted
    assertThat(Files.exists(c.root.resolve("raft"))).as("raft data is gone with the role").isFalse();
    await().atMost(WAIT).until(() -> readyNodes(a) == 2);
    assertThat(runningTaskIds(a, "web", cId)).as("the demoted node keeps running its tasks").isEqualTo(tasksOnC);

    // and the swarm still takes writes; the worker still gets new work
    assertThat(call(a, "POST", "/services/web/update?version=" + get(a, "/services/web").get("Version").get("Index").asLong(),
        svc.replace("\"Replicas\":4", "\"Replicas\":8")).statusCode()).isEqualTo(200);
    await().atMost(WAIT).until(() -> runningByNode(a, "web").values().stream().mapToInt(i -> i).sum() == 8
        && runningByNode(a, "web").getOrDefault(cId, 0) > tasksOnC.size());
  }

  /**
   * The leader itself demoted: it leaves raft, the manager promoted before takes over, and the
   * workers learn the new manager list from their heartbeats (and keep it on disk).
   */
  @Test
  void demotingTheLeaderHandsOverAndWorkersFollowTheManagerList() throws Exception {
    N a = start("a", null);
    N c = start("c", null);
    N w = start("w", null);
    init(a);
    String workerToken = get(a, "/swarm").get("JoinTokens").get("Worker").asText();
    assertThat(join(c, workerToken, a).statusCode()).isEqualTo(200);
    assertThat(join(w, workerToken, a).statusCode()).isEqualTo(200);
    await().atMost(WAIT).until(() -> readyNodes(a) == 3);
    String aId = get(a, "/info").get("Swarm").get("NodeID").asText();
    String cId = get(c, "/info").get("Swarm").get("NodeID").asText();
    String aAddr = "127.0.0.1:" + a.listenPort;
    String cAddr = "127.0.0.1:" + c.listenPort;
    assertThat(NodeState.read(w.root).remoteManagers()).containsExactly(aAddr);

    assertThat(setRole(a, cId, "manager").statusCode()).isEqualTo(200);
    await().atMost(WAIT).until(() -> a.daemon.manager().peers().size() == 2 && c.daemon.manager() != null);
    await().atMost(WAIT).until(() -> NodeState.read(w.root).remoteManagers().containsAll(List.of(aAddr, cAddr)));

    HttpResponse<String> demote = setRole(a, aId, "worker");
    assertThat(demote.statusCode()).as(demote.body()).isEqualTo(200);
    await().atMost(WAIT).until(() -> a.daemon.manager() == null && c.daemon.manager() != null && c.daemon.manager().isLeader());
    await().atMost(WAIT).until(() -> "Leader".equals(managerStatus(c).get(cId)) && "".equals(managerStatus(c).get(aId)));
    await().atMost(WAIT).until(() -> NodeState.read(w.root).remoteManagers().equals(List.of(cAddr))
        && NodeState.read(a.root).remoteManagers().equals(List.of(cAddr)));
    await().atMost(WAIT).until(() -> readyNodes(c) == 3);

    String svc = "{\"Name\":\"g\",\"TaskTemplate\":{\"ContainerSpec\":{\"Image\":\"hollow/g:1\"}},\"Mode\":{\"Global\":{}}}";
    assertThat(call(c, "POST", "/services/create", svc).statusCode()).isEqualTo(201);
    await().atMost(WAIT).until(() -> runningByNode(c, "g").size() == 3);

    // restarts: the worker knew only a (now a worker itself) at join time; it comes back through
    // the list it kept. The demoted ex-leader comes back as a worker, without raft.
    w.daemon.close();
    a.daemon.close();
    N w2 = start("w", null, Clock.systemUTC(), w.listenPort, freePort());
    N a2 = start("a", null, Clock.systemUTC(), a.listenPort, freePort());
    await().atMost(WAIT).until(() -> w2.daemon.agent().agent().connected() && a2.daemon.agent().agent().connected());
    assertThat(a2.daemon.manager()).isNull();
    assertThat(get(a2, "/info").get("Swarm").get("ControlAvailable").asBoolean()).isFalse();
    assertThat(c.daemon.manager().peers()).hasSize(1);
  }

  /** A node offline past its certificate's life starts with the swarm in error, says why, and can leave. */
  @Test
  void aCertificateThatExpiredWhileOfflineIsAClearErrorAndLeaveCleansUp() throws Exception {
    N a = start("a", null);
    init(a);
    a.daemon.close();
    N later = start("a", null, Clock.offset(Clock.systemUTC(), Duration.ofDays(91)), freePort(), freePort());
    JsonNode swarm = get(later, "/info").get("Swarm");
    assertThat(swarm.get("LocalNodeState").asText()).isEqualTo("error");
    assertThat(swarm.get("Error").asText()).contains("certificate expired at").contains("docker swarm leave --force");
    HttpResponse<String> init = call(later, "POST", "/swarm/init", "{\"ListenAddr\":\"127.0.0.1:" + later.listenPort + "\"}");
    assertThat(init.statusCode()).as("no new swarm over the broken one").isEqualTo(503);
    assertThat(call(later, "POST", "/swarm/leave", null).statusCode()).isEqualTo(503);
    assertThat(call(later, "POST", "/swarm/leave?force=true", null).statusCode()).isEqualTo(200);
    assertThat(get(later, "/info").get("Swarm").get("LocalNodeState").asText()).isEqualTo("inactive");
    assertThat(Files.exists(new CertificateStore(later.root).nodeCertificatePath())).isFalse();
  }

  // ---- helpers ----

  /** Distinct serial numbers seen. */
  private static final class BigSerials {
    private final Set<java.math.BigInteger> seen = new HashSet<>();

    void add(X509Certificate c) {
      seen.add(c.getSerialNumber());
    }

    int count() {
      return seen.size();
    }
  }

  private static X509Certificate cert(N n) throws IOException {
    return Pem.readCertificate(Files.readString(new CertificateStore(n.root).nodeCertificatePath()));
  }

  private static Duration life(X509Certificate c) {
    return Duration.between(c.getNotBefore().toInstant(), c.getNotAfter().toInstant());
  }

  private void init(N a) throws Exception {
    assertThat(call(a, "POST", "/swarm/init", "{\"ListenAddr\":\"127.0.0.1:" + a.listenPort + "\",\"AdvertiseAddr\":\"127.0.0.1:" + a.listenPort + "\"}").statusCode()).isEqualTo(200);
  }

  private HttpResponse<String> join(N n, String token, N to) throws Exception {
    return call(n, "POST", "/swarm/join", "{\"JoinToken\":\"" + token + "\",\"RemoteAddrs\":[\"127.0.0.1:" + to.listenPort + "\"]"
        + ",\"ListenAddr\":\"127.0.0.1:" + n.listenPort + "\",\"AdvertiseAddr\":\"127.0.0.1:" + n.listenPort + "\"}");
  }

  private HttpResponse<String> setRole(N via, String nodeId, String role) throws Exception {
    JsonNode node = get(via, "/nodes/" + nodeId);
    String spec = "{\"Role\":\"" + role + "\",\"Availability\":\"" + node.get("Spec").get("Availability").asText() + "\"}";
    return call(via, "POST", "/nodes/" + nodeId + "/update?version=" + node.get("Version").get("Index").asLong(), spec);
  }

  private int readyNodes(N n) throws Exception {
    int ready = 0;
    for (JsonNode x : get(n, "/nodes")) if (x.get("Status").get("State").asText().equals("ready")) ready++;
    return ready;
  }

  private Map<String, String> managerStatus(N n) throws Exception {
    Map<String, String> out = new HashMap<>();
    for (JsonNode x : get(n, "/nodes")) {
      JsonNode m = x.get("ManagerStatus");
      out.put(x.get("ID").asText(), m == null || m.isNull() ? "" : m.has("Leader") && m.get("Leader").asBoolean() ? "Leader"
          : "reachable".equals(m.get("Reachability").asText()) ? "Reachable" : m.get("Reachability").asText());
    }
    return out;
  }

  private Map<String, Integer> runningByNode(N n, String service) throws Exception {
    return ApiCalls.runningByNode(http, n.api, service, Duration.ofSeconds(60));
  }

  private Set<String> runningTaskIds(N n, String service, String nodeId) throws Exception {
    Set<String> out = new HashSet<>();
    for (JsonNode t : runningTasks(n, service)) if (t.get("NodeID").asText().equals(nodeId)) out.add(t.get("ID").asText());
    return out;
  }

  private List<JsonNode> runningTasks(N n, String service) throws Exception {
    return ApiCalls.runningTasks(http, n.api, service, Duration.ofSeconds(60));
  }

  private JsonNode get(N n, String path) throws IOException, InterruptedException {
    return ApiCalls.get(http, n.api + path, Duration.ofSeconds(60));
  }

  private HttpResponse<String> call(N n, String method, String path, String body) throws IOException, InterruptedException {
    return ApiCalls.call(http, method, n.api + path, body, Duration.ofSeconds(60));
  }

  private static int freePort() throws IOException {
    return ApiCalls.freePort();
  }
}
