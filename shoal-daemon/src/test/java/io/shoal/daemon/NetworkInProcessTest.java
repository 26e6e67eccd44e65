package io.shoal.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.shoal.agent.exec.HollowExecutor;
import io.shoal.api.json.Json;
import io.shoal.api.net.NodeNetworkView;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
 * T3: networks through Docker's API on a whole daemon (hollow executor): {@code ingress} after
 * init, network ls/inspect with the allocated IPAM, service VirtualIPs, task NetworksAttachments,
 * the bad input of issue 8 (4xx, nothing stored), and the node's own network view delivered.
 */
class NetworkInProcessTest {
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
  void networksVipsAttachmentsAndViewsThroughTheDockerApi() throws Exception {
    int listen = ApiCalls.freePort();
    DaemonConfig cfg = new DaemonConfig(dir.resolve("data"), List.of("tcp://127.0.0.1:0"), null, "hollow", null,
        "127.0.0.1:" + listen, "127.0.0.1", ApiCalls.freePort(), "t3-net");
    daemon = new Daemon(cfg, Clock.systemUTC(), new SecureRandom(),
        id -> new HollowExecutor("t3-net", Clock.systemUTC(), scheduler, Duration.ofMillis(20)));
    daemon.start();
    base = "http://127.0.0.1:" + daemon.apiPort() + "/v1.44";
    assertThat(call("POST", "/swarm/init", "{\"ListenAddr\":\"127.0.0.1:" + listen + "\",\"AdvertiseAddr\":\"127.0.0.1\","
        + "\"DefaultAddrPool\":[\"10.0.0.0/300\"]}").statusCode()).as("a bad pool is refused").isEqualTo(400);
    assertThat(call("POST", "/swarm/init", "{\"ListenAddr\":\"127.0.0.1:" + listen + "\",\"AdvertiseAddr\":\"127.0.0.1\"}")
        .statusCode()).isEqualTo(200);

    JsonNode ingress = get("/networks/ingress");
    assertThat(ingress.get("Ingress").asBoolean()).isTrue();
    assertThat(ingress.get("Driver").asText()).isEqualTo("overlay");
    assertThat(ingress.get("Scope").asText()).isEqualTo("swarm");
    assertThat(ingress.get("IPAM").get("Config").get(0).get("Subnet").asText()).isEqualTo("10.0.0.0/24");
    assertThat(ingress.get("IPAM").get("Config").get(0).get("Gateway").asText()).isEqualTo("10.0.0.1");
    assertThat(ingress.get("Options").get("com.docker.network.driver.overlay.vxlanid_list").asText()).isEqualTo("4096");

    assertThat(call("POST", "/networks/create", "{\"Name\":\"front\",\"Driver\":\"overlay\",\"Attachable\":true,"
        + "\"IPAM\":{\"Config\":[{\"Subnet\":\"10.50.0.0/24\"}]}}").statusCode()).isEqualTo(201);
    HttpResponse<String> overlap = call("POST", "/networks/create",
        "{\"Name\":\"bad\",\"Driver\":\"overlay\",\"IPAM\":{\"Config\":[{\"Subnet\":\"10.50.0.128/25\"}]}}");
    assertThat(overlap.statusCode()).isEqualTo(400);
    assertThat(overlap.body()).contains("overlaps network front");
    assertThat(names(get("/networks"))).containsExactlyInAnyOrder("ingress", "front");

    HttpResponse<String> rr = call("POST", "/services/create", "{\"Name\":\"rr\",\"TaskTemplate\":{\"ContainerSpec\":"
        + "{\"Image\":\"hollow/x:1\"}},\"EndpointSpec\":{\"Mode\":\"dnsrr\",\"Ports\":[{\"TargetPort\":80}]}}");
    assertThat(rr.statusCode()).isEqualTo(400);
    HttpResponse<String> toIngress = call("POST", "/services/create", "{\"Name\":\"in\",\"TaskTemplate\":{\"ContainerSpec\":"
        + "{\"Image\":\"hollow/x:1\"},\"Networks\":[{\"Target\":\"ingress\"}]}}");
    assertThat(toIngress.statusCode()).isEqualTo(400);
    assertThat(call("POST", "/services/create", "{\"Name\":\"m\",\"TaskTemplate\":{\"ContainerSpec\":"
        + "{\"Image\":\"hollow/x:1\"},\"Networks\":[{\"Target\":\"missing\"}]}}").statusCode()).isEqualTo(404);
    assertThat(get("/services")).as("nothing stored").isEmpty();

    String spec = "{\"Name\":\"web\",\"TaskTemplate\":{\"ContainerSpec\":{\"Image\":\"hollow/web:1\"},"
        + "\"Networks\":[{\"Target\":\"front\",\"Aliases\":[\"www\"]}]},\"Mode\":{\"Replicated\":{\"Replicas\":2}},"
        + "\"EndpointSpec\":{\"Ports\":[{\"TargetPort\":80,\"PublishedPort\":0}]}}";
    assertThat(call("POST", "/services/create", spec).statusCode()).isEqualTo(201);
    JsonNode vips = get("/services/web").get("Endpoint").get("VirtualIPs");
    List<String> addrs = new ArrayList<>();
    vips.forEach(v -> addrs.add(v.get("Addr").asText()));
    assertThat(addrs).hasSize(2).anyMatch(a -> a.startsWith("10.50.0.")).anyMatch(a -> a.startsWith("10.0.0."));

    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> running("web").size() == 2);
    for (JsonNode t : running("web")) {
      JsonNode att = t.get("NetworksAttachments");
      assertThat(att).hasSize(2);
      assertThat(att.get(0).get("Network").get("Spec").get("Name").asText()).isEqualTo("front");
      assertThat(att.get(0).get("Addresses").get(0).asText()).startsWith("10.50.0.").endsWith("/24");
      assertThat(att.get(0).get("Aliases").get(0).asText()).isEqualTo("www");
      assertThat(att.get(1).get("Network").get("Spec").get("Ingress").asBoolean()).isTrue();
    }

    // the node's consumers get its view: both networks with this node's gateway, both endpoints
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      NodeNetworkView v = daemon.networkView();
      return v != null && v.networks().size() == 2 && v.endpoints().size() == 4;
    });
    NodeNetworkView v = daemon.networkView();
    assertThat(v.networks()).extracting(NodeNetworkView.NetworkInfo::name).containsExactly("front", "ingress");
    assertThat(v.services()).extracting(NodeNetworkView.ServiceInfo::name).containsExactly("web");

    HttpResponse<String> inUse = call("DELETE", "/networks/front", null);
    assertThat(inUse.statusCode()).isEqualTo(400);
    assertThat(inUse.body()).contains("is in use by service");

    assertThat(call("DELETE", "/services/web", null).statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(10)).until(() -> daemon.networkView().endpoints().isEmpty());
    await().atMost(Duration.ofSeconds(30)).until(() -> call("DELETE", "/networks/front", null).statusCode() == 204);
  }

  private List<JsonNode> running(String service) throws Exception {
    JsonNode tasks = get("/tasks?filters=" + URLEncoder.encode("{\"service\":[\"" + service + "\"],\"desired-state\":[\"running\"]}",
        StandardCharsets.UTF_8));
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode t : tasks) if (t.get("Status").get("State").asText().equals("running")) out.add(t);
    return out;
  }

  private static List<String> names(JsonNode list) {
    List<String> out = new ArrayList<>();
    list.forEach(n -> out.add(n.get("Name").asText()));
    return out;
  }

  private JsonNode get(String path) throws IOException, InterruptedException {
    return ApiCalls.get(http, base + path, Duration.ofSeconds(30));
  }

  private HttpResponse<String> call(String method, String path, String body) throws IOException, InterruptedException {
    return ApiCalls.call(http, method, base + path, body, Duration.ofSeconds(30));
  }
}
