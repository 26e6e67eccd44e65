package io.shoal.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.shoal.api.dispatch.TaskLogs;
import io.shoal.api.json.Json;
import io.shoal.api.model.Cluster;
import io.shoal.api.model.Node;
import io.shoal.daemon.swarm.InitRequest;
import io.shoal.daemon.swarm.JoinRequest;
import io.shoal.manager.controlapi.ControlApi;
import io.shoal.manager.controlapi.ResourceApi;
import io.shoal.store.LocalProposer;
import io.shoal.store.MemoryStore;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * T3: the network, secret and config routes over real HTTP (Jetty on an ephemeral loopback port)
 * with a store behind a local proposer: status codes, Docker's JSON shapes and error bodies.
 */
class ResourceRoutesTest {
  private MemoryStore store;
  private ApiServer server;
  private String base;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    store = new MemoryStore(Clock.systemUTC());
    store.setProposer(new LocalProposer(store));
    ControlApi control = new ControlApi(store, Clock.systemUTC(), new SplittableRandom(1));
    ResourceApi resources = new ResourceApi(store, Clock.systemUTC(), new SplittableRandom(2));
    server = new ApiServer(List.of("tcp://127.0.0.1:0"), Api.router(new ManagerOnly(control, resources), "/tmp"));
    server.start();
    base = "http://127.0.0.1:" + server.tcpPort() + "/v1.44";
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  record Reply(int status, JsonNode body) {}

  private Reply call(String method, String path, String json) throws Exception {
    HttpRequest.BodyPublisher body = json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json);
    HttpRequest req = HttpRequest.newBuilder(URI.create(base + path)).method(method, body)
        .header("Content-Type", "application/json").build();
    HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), r.body().isEmpty() ? null : Json.lenient().readTree(r.body()));
  }

  private static String filters(String json) {
    return "?filters=" + URLEncoder.encode(json, StandardCharsets.UTF_8);
  }

  @Test
  void networkLifecycleInDockersShapes() throws Exception {
    // the body the docker CLI 28 sends for `docker stack deploy` (ConfigOnly/ConfigFrom always present)
    Reply created = call("POST", "/networks/create", """
        {"Name":"app_default","Driver":"overlay","Scope":"","EnableIPv6":null,"IPAM":null,"Internal":false,
         "Attachable":false,"Ingress":false,"ConfigOnly":false,"ConfigFrom":null,"Options":{},
         "Labels":{"com.docker.stack.namespace":"app"}}""");
    assertThat(created.status()).isEqualTo(201);
    String id = created.body().get("Id").asText();
    assertThat(created.body().get("Warning").asText()).isEmpty();

    Reply inspect = call("GET", "/networks/app_default?scope=swarm", null);
    assertThat(inspect.status()).isEqualTo(200);
    JsonNode n = inspect.body();
    assertThat(n.get("Id").asText()).isEqualTo(id);
    assertThat(n.get("Name").asText()).isEqualTo("app_default");
    assertThat(n.get("Scope").asText()).isEqualTo("swarm");
    assertThat(n.get("Driver").asText()).isEqualTo("overlay");
    assertThat(n.get("IPAM").get("Driver").asText()).isEqualTo("default");
    assertThat(n.get("IPAM").get("Config").isArray()).isTrue();
    for (String field : List.of("Created", "EnableIPv6", "Internal", "Attachable", "Ingress", "ConfigFrom", "ConfigOnly",
        "Containers", "Options", "Labels")) {
      assertThat(n.has(field)).as(field).isTrue();
    }
    assertThat(n.get("Labels").get("com.docker.stack.namespace").asText()).isEqualTo("app");
    assertThat(call("GET", "/networks/app_default?scope=local", null).status()).isEqualTo(404);

    Reply list = call("GET", "/networks" + filters("{\"label\":{\"com.docker.stack.namespace=app\":true}}"), null);
    assertThat(list.body()).hasSize(1);
    assertThat(call("GET", "/networks" + filters("{\"label\":[\"com.docker.stack.namespace=other\"]}"), null).body()).isEmpty();

    Reply dup = call("POST", "/networks/create", "{\"Name\":\"app_default\"}");
    assertThat(dup.status()).isEqualTo(409);
    assertThat(dup.body().get("message").asText()).isEqualTo("network with name app_default already exists");

    assertThat(call("DELETE", "/networks/" + id, null).status()).isEqualTo(204);
    Reply gone = call("GET", "/networks/" + id, null);
    assertThat(gone.status()).isEqualTo(404);
    assertThat(gone.body().get("message").asText()).isEqualTo("network " + id + " not found");
  }

  @Test
  void fieldsOutsideTheEngineApiAreSkippedAndWrongTypesChangeNothing() throws Exception {
    // dockerd skips a field it does not define (a newer client keeps working): so does Shoal
    assertThat(call("POST", "/networks/create", "{\"Name\":\"x\",\"Bogus\":1}").status()).isEqualTo(201);
    long before = store.index();
    Reply s = call("POST", "/secrets/create", "{\"Name\":\"y\",\"Data\":\"eA==\",\"Labels\":[\"a\"]}");
    assertThat(s.status()).isEqualTo(400);
    assertThat(s.body().get("message").asText()).startsWith("json: cannot unmarshal array into field Labels");
    assertThat(store.index()).isEqualTo(before);
  }

  @Test
  void secretsNeverServeTheirData() throws Exception {
    Reply created = call("POST", "/secrets/create", "{\"Name\":\"db_pw\",\"Labels\":{\"a\":\"b\"},\"Data\":\"aHVudGVyMg==\"}");
    assertThat(created.status()).isEqualTo(201);
    String id = created.body().get("ID").asText();
    JsonNode s = call("GET", "/secrets/db_pw", null).body();
    assertThat(s.get("ID").asText()).isEqualTo(id);
    assertThat(s.get("Version").get("Index").asLong()).isPositive();
    assertThat(s.get("Spec").get("Name").asText()).isEqualTo("db_pw");
    assertThat(s.get("Spec").has("Data")).isFalse();
    JsonNode list = call("GET", "/secrets" + filters("{\"name\":[\"db\"]}"), null).body();
    assertThat(list).hasSize(1);
    assertThat(list.get(0).get("Spec").has("Data")).isFalse();

    long v = s.get("Version").get("Index").asLong();
    Reply stale = call("POST", "/secrets/" + id + "/update?version=" + (v - 1), "{\"Name\":\"db_pw\",\"Labels\":{}}");
    assertThat(stale.status()).isEqualTo(409);
    Reply changed = call("POST", "/secrets/" + id + "/update?version=" + v, "{\"Name\":\"db_pw\",\"Data\":\"eA==\"}");
    assertThat(changed.status()).isEqualTo(400);
    assertThat(changed.body().get("message").asText())
        .isEqualTo("rpc error: code = InvalidArgument desc = only updates to Labels are allowed");
    Reply ok = call("POST", "/secrets/" + id + "/update?version=" + v, "{\"Name\":\"db_pw\",\"Labels\":{\"c\":\"d\"}}");
    assertThat(ok.status()).isEqualTo(200);
    assertThat(call("GET", "/secrets/" + id, null).body().get("Spec").get("Labels").get("c").asText()).isEqualTo("d");

    Reply bad = call("POST", "/secrets/create", "{\"Name\":\"-bad\",\"Data\":\"eA==\"}");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body().get("message").asText()).contains("invalid name, only 64 [a-zA-Z0-9-_.] characters allowed");

    assertThat(call("DELETE", "/secrets/" + id, null).status()).isEqualTo(204);
    Reply gone = call("GET", "/secrets/" + id, null);
    assertThat(gone.status()).isEqualTo(404);
    assertThat(gone.body().get("message").asText()).isEqualTo("secret " + id + " not found");
  }

  @Test
  void configsServeTheirData() throws Exception {
    Reply created = call("POST", "/configs/create", "{\"Name\":\"motd\",\"Data\":\"aGVsbG8K\"}");
    assertThat(created.status()).isEqualTo(201);
    String id = created.body().get("ID").asText();
    JsonNode c = call("GET", "/configs/" + id, null).body();
    assertThat(c.get("Spec").get("Data").asText()).isEqualTo("aGVsbG8K");
    Reply dup = call("POST", "/configs/create", "{\"Name\":\"motd\",\"Data\":\"aGVsbG8K\"}");
    assertThat(dup.status()).isEqualTo(409);
    assertThat(dup.body().get("message").asText()).isEqualTo("rpc error: code = AlreadyExists desc = config motd already exists");
    assertThat(call("GET", "/configs" + filters("{\"label\":[\"x\"]}"), null).body()).isEmpty();
    Reply badFilter = call("GET", "/configs" + filters("{\"driver\":[\"x\"]}"), null);
    assertThat(badFilter.status()).isEqualTo(400);
    assertThat(badFilter.body().get("message").asText()).isEqualTo("invalid filter 'driver'");
    assertThat(call("DELETE", "/configs/motd", null).status()).isEqualTo(204);
    assertThat(call("GET", "/configs", null).body()).isEmpty();
  }

  @Test
  void distributionInspectIsNotFoundSoTheCliWarnsAndGoesOn() throws Exception {
    Reply r = call("GET", "/distribution/shoal-test/busybox:1/json", null);
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.body().get("message").asText()).startsWith("no such image: shoal-test/busybox:1");
  }

  /** A manager node's backend as far as these routes need it. */
  record ManagerOnly(ControlApi control, ResourceApi resources) implements Backend {
    public SystemInfo.Swarm swarmInfo() {
      throw new UnsupportedOperationException();
    }

    public String swarmHeader() {
      return "active/manager";
    }

    public String hostname() {
      return "test";
    }

    public String engineVersion() {
      return "test";
    }

    public String init(InitRequest request) {
      throw new UnsupportedOperationException();
    }

    public void join(JoinRequest request) {
      throw new UnsupportedOperationException();
    }

    public void leave(boolean force) {
      throw new UnsupportedOperationException();
    }

    public Cluster swarm() {
      throw new UnsupportedOperationException();
    }

    public void updateSwarm(long version, Cluster.SwarmSpec spec, boolean rotateWorker, boolean rotateManager) {
      throw new UnsupportedOperationException();
    }

    public Node withManagerStatus(Node n) {
      return n;
    }

    public TaskLogs taskLogs() {
      throw new UnsupportedOperationException();
    }

    public io.shoal.daemon.tls.ApiCertificateIssuer.ClientCertificate issueClientCertificate(
        io.shoal.daemon.tls.ApiCertificateIssuer.ClientRequest request) {
      throw new UnsupportedOperationException();
    }
  }
}
