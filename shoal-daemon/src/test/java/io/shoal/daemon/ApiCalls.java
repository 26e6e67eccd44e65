package io.shoal.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.shoal.api.json.Json;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The HTTP calls the T3 daemon tests make on a daemon's Docker API, shared by them all. */
final class ApiCalls {
  private ApiCalls() {}

  /** {@code method url} with an optional JSON body. */
  static HttpResponse<String> call(HttpClient http, String method, String url, String body, Duration timeout)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(timeout);
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) b.header("Content-Type", "application/json");
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** GET that must answer 200; its body as JSON. */
  static JsonNode get(HttpClient http, String url, Duration timeout) throws IOException, InterruptedException {
    HttpResponse<String> r = call(http, "GET", url, null, timeout);
    assertThat(r.statusCode()).as("GET " + url + ": " + r.body()).isEqualTo(200);
    return Json.lenient().readTree(r.body());
  }

  /** The service's tasks desired and actually running, as {@code GET /tasks} lists them. */
  static List<JsonNode> runningTasks(HttpClient http, String api, String service, Duration timeout) throws Exception {
    String filters = "{\"service\":[\"" + service + "\"],\"desired-state\":[\"running\"]}";
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode t : get(http, api + "/tasks?filters=" + URLEncoder.encode(filters, StandardCharsets.UTF_8), timeout)) {
      if (t.get("Status").get("State").asText().equals("running")) out.add(t);
    }
    return out;
  }

  /** Running tasks of the service per node id. */
  static Map<String, Integer> runningByNode(HttpClient http, String api, String service, Duration timeout) throws Exception {
    Map<String, Integer> out = new HashMap<>();
    for (JsonNode t : runningTasks(http, api, service, timeout)) out.merge(t.get("NodeID").asText(), 1, Integer::sum);
    return out;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
