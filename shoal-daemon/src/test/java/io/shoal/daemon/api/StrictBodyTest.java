package io.shoal.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.shoal.api.json.Json;
import io.shoal.api.model.Service;
import io.shoal.manager.controlapi.ControlApi;
import io.shoal.manager.controlapi.ResourceApi;
import io.shoal.store.LocalProposer;
import io.shoal.store.MemoryStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * T3, issue 15 (4, 6) and issue 11: the API edge over real HTTP. Bodies that are not JSON objects,
 * values of the wrong JSON type and counts past Shoal's bounds are 400s that leave the store as it
 * was; a field the Engine API does not define is skipped (as dockerd does), one it defines but Shoal
 * does not honour is refused.
 */
class StrictBodyTest {
  private static final String WEB = "{\"Name\":\"web\",\"TaskTemplate\":{\"ContainerSpec\":{\"Image\":\"busybox\"}},"
      + "\"Mode\":{\"Replicated\":{\"Replicas\":3}}}";
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
    server = new ApiServer(List.of("tcp://127.0.0.1:0"), Api.router(new ResourceRoutesTest.ManagerOnly(control, resources), "/tmp"));
    server.start();
    base = "http://127.0.0.1:" + server.tcpPort() + "/v1.44";
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  record Reply(int status, String message, JsonNode body) {}

  private Reply call(String method, String path, String json) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create(base + path)).method(method, HttpRequest.BodyPublishers.ofString(json))
        .header("Content-Type", "application/json").build();
    HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
    JsonNode b = r.body().isEmpty() ? null : Json.lenient().readTree(r.body());
    return new Reply(r.statusCode(), b != null && b.has("message") ? b.get("message").asText() : "", b);
  }

  /** A rejected request must not write: the store's index stays where it was. */
  private Reply refused(String method, String path, String json) throws Exception {
    long before = store.index();
    Reply r = call(method, path, json);
    assertThat(r.status()).as(json + " -> " + r.message()).isEqualTo(400);
    assertThat(r.message()).isNotBlank().doesNotContain("Exception").doesNotContain("java.");
    assertThat(store.index()).as("store untouched by " + json).isEqualTo(before);
    return r;
  }

  @ParameterizedTest
  @ValueSource(strings = {"null", "[]", "\"web\"", "5", "true", "[{\"Name\":\"web\"}]"})
  void aBodyThatIsNotAnObjectIsA400(String body) throws Exception {
    for (String path : List.of("/services/create", "/networks/create", "/secrets/create", "/configs/create",
        "/swarm/init", "/swarm/join")) {
      assertThat(refused("POST", path, body).message()).contains("request body must be a JSON object");
    }
  }

  @Test
  void wrongJsonTypesAreNotCoerced() throws Exception {
    assertThat(refused("POST", "/services/create", WEB.replace("\"Replicas\":3", "\"Replicas\":\"3\"")).message())
        .contains("cannot unmarshal string").contains("Replicas");
    assertThat(refused("POST", "/services/create", WEB.replace("\"Replicas\":3", "\"Replicas\":1.5")).message())
        .contains("cannot unmarshal number 1.5").contains("Replicas");
    assertThat(refused("POST", "/services/create", WEB.replace("\"busybox\"", "5")).message())
        .contains("cannot unmarshal number").contains("Image");
    assertThat(refused("POST", "/services/create", WEB.replace("\"web\"", "123")).message())
        .contains("cannot unmarshal number").contains("Name");
    refused("POST", "/services/create", WEB.replace("\"Replicas\":3", "\"Replicas\":true"));
    refused("POST", "/services/create", WEB.replace("\"Replicas\":3", "\"Replicas\":18446744073709551615"));
    refused("POST", "/services/create", WEB.replace("{\"Image\":\"busybox\"}", "{\"Image\":\"busybox\",\"TTY\":\"yes\"}"));
    refused("POST", "/services/create", WEB.replace("{\"Image\":\"busybox\"}", "{\"Image\":\"busybox\",\"Env\":\"A=1\"}"));
    refused("POST", "/secrets/create", "{\"Name\":123,\"Data\":\"eA==\"}");
    refused("POST", "/networks/create", "{\"Name\":\"n\",\"Attachable\":\"true\"}");
    assertThat(call("GET", "/services", "").body()).isEmpty();
    assertThat(call("POST", "/services/create", WEB).status()).as("the same body, well typed").isEqualTo(201);
  }

  @Test
  void replicasAndClusterTasksAreBounded() throws Exception {
    assertThat(refused("POST", "/services/create", WEB.replace("\"Replicas\":3", "\"Replicas\":9223372036854775807")).message())
        .contains("Mode.Replicated.Replicas").contains("more than Shoal allows for one service (100000)");
    refused("POST", "/services/create", WEB.replace("\"Replicas\":3", "\"Replicas\":100001"));
    refused("POST", "/services/create", WEB.replace("\"Mode\":{\"Replicated\":{\"Replicas\":3}}",
        "\"Mode\":{\"ReplicatedJob\":{\"MaxConcurrent\":1,\"TotalCompletions\":1000000000}}"));

    // the cluster-wide bound (200,000 desired tasks): two full services fit, a third task does not
    assertThat(call("POST", "/services/create", WEB.replace("\"Replicas\":3", "\"Replicas\":100000")).status()).isEqualTo(201);
    assertThat(call("POST", "/services/create", WEB.replace("web", "api").replace("\"Replicas\":3", "\"Replicas\":100000")).status())
        .isEqualTo(201);
    assertThat(refused("POST", "/services/create", WEB.replace("web", "one")).message())
        .contains("200003 tasks in all").contains("(200000)");
    // scaling a service down is always allowed, and frees room
    Service api = store.view(tx -> tx.services().stream().filter(s -> s.spec().name().equals("api")).findFirst().orElseThrow());
    String smaller = Json.string(api.spec()).replace("\"Replicas\":100000", "\"Replicas\":99999");
    assertThat(call("POST", "/services/" + api.id() + "/update?version=" + api.version().index(), smaller).status()).isEqualTo(200);
    assertThat(call("POST", "/services/create", WEB.replace("web", "one").replace("\"Replicas\":3", "\"Replicas\":1")).status())
        .isEqualTo(201);
  }

  @Test
  void fieldsTheEngineApiDoesNotDefineAreSkippedAsDockerdDoes() throws Exception {
    String future = "{\"Name\":\"web\",\"FutureTopLevel\":{\"x\":[1,2]},\"TaskTemplate\":{\"ContainerSpec\":{\"Image\":\"busybox\","
        + "\"FutureContainerField\":true},\"Placement\":{\"FuturePlacement\":\"a\"}},\"Mode\":{\"Replicated\":{\"Replicas\":2}}}";
    Reply created = call("POST", "/services/create", future);
    assertThat(created.status()).as(created.message()).isEqualTo(201);
    Service web = store.view(tx -> tx.services().get(0));
    assertThat(web.spec().mode().replicaCount()).isEqualTo(2);
    assertThat(web.spec().taskTemplate().containerSpec().image()).isEqualTo("busybox");
    assertThat(call("POST", "/networks/create", "{\"Name\":\"n1\",\"Driver\":\"overlay\",\"NewNetworkKnob\":1}").status()).isEqualTo(201);
    assertThat(call("POST", "/secrets/create", "{\"Name\":\"s1\",\"Data\":\"eA==\",\"SomethingNew\":\"x\"}").status()).isEqualTo(201);
  }

  @Test
  void fieldsTheEngineApiDefinesButShoalDoesNotHonourAreRefused() throws Exception {
    String swap = WEB.replace("{\"ContainerSpec\":{\"Image\":\"busybox\"}}",
        "{\"ContainerSpec\":{\"Image\":\"busybox\"},\"Resources\":{\"SwapBytes\":1048576}}");
    assertThat(refused("POST", "/services/create", swap).message())
        .contains("\"SwapBytes\"").contains("not supported by Shoal").contains("TaskTemplate.Resources");
    // matched as Go matches keys: without regard to case
    refused("POST", "/services/create", swap.replace("SwapBytes", "swapbytes"));
  }
}
