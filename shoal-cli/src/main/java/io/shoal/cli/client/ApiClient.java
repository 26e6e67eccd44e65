package io.shoal.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shoal.api.json.Json;
import io.shoal.api.model.Node;
import io.shoal.api.model.Secret;
import io.shoal.api.model.Service;
import io.shoal.api.model.ServiceSpec;
import io.shoal.api.model.Task;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Docker Engine API client (swarm subset). Negotiates the API version once from {@code /_ping}'s
 * {@code API-Version} header, then uses versioned paths ({@code /v1.44/services}). Non-2xx answers
 * become {@link DaemonException} carrying the daemon's {@code message}.
 *
 * <p>Responses are read with the lenient mapper: a newer daemon may add fields we do not know.
 * Not thread-safe (the negotiated version is cached without synchronisation); one per command.
 */
public class ApiClient {
  /** The newest API version this client speaks; older daemons get their own version. */
  public static final String MAX_VERSION = "1.44";

  private static final ObjectMapper MAPPER = Json.lenient();
  private final HttpTransport transport;
  private String version;

  public ApiClient(HttpTransport transport) {
    this.transport = transport;
  }

  public String host() {
    return transport.host().uri();
  }

  /** The negotiated API version, pinging the daemon on first use. */
  public String apiVersion() {
    if (version == null) {
      try (HttpResponse r = transport.exchange("GET", "/_ping", null)) {
        r.readAll();
        String advertised = r.header("API-Version");
        version = advertised == null || advertised.isBlank() || compare(advertised.trim(), MAX_VERSION) >= 0
            ? MAX_VERSION : advertised.trim();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return version;
  }

  static int compare(String a, String b) {
    String[] x = a.split("\\.");
    String[] y = b.split("\\.");
    for (int i = 0; i < Math.max(x.length, y.length); i++) {
      int p = i < x.length ? parseOr0(x[i]) : 0;
      int q = i < y.length ? parseOr0(y[i]) : 0;
      if (p != q) {
        return Integer.compare(p, q);
      }
    }
    return 0;
  }

  private static int parseOr0(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  // ---- generic requests ----

  public JsonNode get(String path, Map<String, String> query) {
    return json(call("GET", path, query, null));
  }

  public JsonNode post(String path, Map<String, String> query, Object body) {
    return json(call("POST", path, query, body == null ? null : Json.bytes(body)));
  }

  public void delete(String path, Map<String, String> query) {
    call("DELETE", path, query, null);
  }

  /** Opens a streaming GET (logs); the caller reads and closes the response. */
  public HttpResponse stream(String path, Map<String, String> query) {
    try {
      HttpResponse r = transport.exchange("GET", target(path, query), null);
      if (r.status() / 100 != 2) {
        try (r) {
          throw error(r.status(), r.readAll());
        }
      }
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private byte[] call(String method, String path, Map<String, String> query, byte[] body) {
    try (HttpResponse r = transport.exchange(method, target(path, query), body)) {
      byte[] bytes = r.readAll();
      if (r.status() / 100 != 2) {
        throw error(r.status(), bytes);
      }
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String target(String path, Map<String, String> query) {
    StringBuilder sb = new StringBuilder("/v").append(apiVersion()).append(path);
    if (query != null && !query.isEmpty()) {
      char sep = '?';
      for (Map.Entry<String, String> e : query.entrySet()) {
        if (e.getValue() == null || e.getValue().isEmpty()) {
          continue;
        }
        sb.append(sep).append(enc(e.getKey())).append('=').append(enc(e.getValue()));
        sep = '&';
      }
    }
    return sb.toString();
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** Docker's error body is {@code {"message": "..."}}; anything else is shown as text. */
  static DaemonException error(int status, byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8).trim();
    try {
      JsonNode node = MAPPER.readTree(body);
      if (node != null && node.hasNonNull("message")) {
        return new DaemonException(status, node.get("message").asText());
      }
    } catch (IOException ignored) {
      // not JSON: fall through to the raw text
    }
    return new DaemonException(status, text.isEmpty() ? "HTTP status " + status : text);
  }

  private static JsonNode json(byte[] bytes) {
    if (bytes.length == 0) {
      return MAPPER.nullNode();
    }
    try {
      return MAPPER.readTree(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("daemon sent malformed JSON", e);
    }
  }

  public static <T> T convert(JsonNode node, Class<T> type) {
    return MAPPER.convertValue(node, type);
  }

  public static <T> List<T> convertList(JsonNode node, Class<T> type) {
    List<T> out = new ArrayList<>();
    if (node != null && node.isArray()) {
      for (JsonNode n : node) {
        out.add(MAPPER.convertValue(n, type));
      }
    }
    return out;
  }

  private static Map<String, String> query(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i + 1 < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  private static String path(String prefix, String id) {
    return prefix + "/" + enc(id).replace("+", "%20");
  }

  // ---- swarm ----

  public JsonNode info() {
    return get("/info", null);
  }

  public JsonNode swarm() {
    return get("/swarm", null);
  }

  /** Returns the new node's id (the API answers with a JSON string). */
  public String swarmInit(ObjectNode request) {
    JsonNode r = post("/swarm/init", null, request);
    return r.isTextual() ? r.asText() : r.toString();
  }

  /** {@code POST /swarm/update}: the spec back with its version, optionally rotating tokens. */
  public void swarmUpdate(long version, JsonNode spec, boolean rotateWorker, boolean rotateManager) {
    post("/swarm/update", query("version", Long.toString(version),
        "rotateWorkerToken", rotateWorker ? "true" : "", "rotateManagerToken", rotateManager ? "true" : ""), spec);
  }

  /** {@code POST /swarm/join} with Docker's JoinRequest body. */
  public void swarmJoin(ObjectNode request) {
    post("/swarm/join", null, request);
  }

  public void swarmLeave(boolean force) {
    post("/swarm/leave", query("force", Boolean.toString(force)), null);
  }

  // ---- nodes ----

  public List<Node> nodes(Filters filters) {
    return convertList(nodesRaw(filters), Node.class);
  }

  public JsonNode nodesRaw(Filters filters) {
    return get("/nodes", query("filters", filters == null ? "" : filters.toJson()));
  }

  public JsonNode nodeRaw(String id) {
    return get(path("/nodes", id), null);
  }

  public void removeNode(String id, boolean force) {
    delete(path("/nodes", id), query("force", force ? "true" : ""));
  }

  public void updateNode(String id, long version, Node.NodeSpec spec) {
    post(path("/nodes", id) + "/update", query("version", Long.toString(version)), spec);
  }

  // ---- services ----

  public List<Service> services(Filters filters, boolean status) {
    return convertList(get("/services", query("filters", filters == null ? "" : filters.toJson(),
        "status", status ? "true" : "")), Service.class);
  }

  public JsonNode serviceRaw(String idOrName) {
    return get(path("/services", idOrName), query("insertDefaults", "false"));
  }

  public Service service(String idOrName) {
    return convert(serviceRaw(idOrName), Service.class);
  }

  /** Creates a service; returns the create response ({@code ID}, {@code Warnings}). */
  public JsonNode createService(ServiceSpec spec) {
    return post("/services/create", null, spec);
  }

  public JsonNode updateService(String id, long version, ServiceSpec spec) {
    return post(path("/services", id) + "/update", query("version", Long.toString(version)), spec);
  }

  /** Docker's rollback: the current spec posted back with {@code rollback=previous}. */
  public JsonNode rollbackService(String id, long version, ServiceSpec spec) {
    return post(path("/services", id) + "/update",
        query("version", Long.toString(version), "rollback", "previous"), spec);
  }

  public void removeService(String idOrName) {
    delete(path("/services", idOrName), null);
  }

  // ---- networks, secrets, configs (Docker's shapes: NetworkResource, Secret, Config) ----

  public JsonNode networksRaw(Filters filters) {
    return get("/networks", query("filters", filters == null ? "" : filters.toJson()));
  }

  public JsonNode networkRaw(String idOrName) {
    return get(path("/networks", idOrName), null);
  }

  /** Returns the new network's id ({@code Id} of the create response). */
  public String createNetwork(Object createRequest) {
    return post("/networks/create", null, createRequest).path("Id").asText();
  }

  public void removeNetwork(String idOrName) {
    delete(path("/networks", idOrName), null);
  }

  public JsonNode secretsRaw(Filters filters) {
    return get("/secrets", query("filters", filters == null ? "" : filters.toJson()));
  }

  public JsonNode secretRaw(String idOrName) {
    return get(path("/secrets", idOrName), null);
  }

  /** Returns the new secret's id. */
  public String createSecret(Secret.Spec spec) {
    return post("/secrets/create", null, spec).path("ID").asText();
  }

  public void updateSecret(String id, long version, Secret.Spec spec) {
    post(path("/secrets", id) + "/update", query("version", Long.toString(version)), spec);
  }

  public void removeSecret(String idOrName) {
    delete(path("/secrets", idOrName), null);
  }

  public JsonNode configsRaw(Filters filters) {
    return get("/configs", query("filters", filters == null ? "" : filters.toJson()));
  }

  public JsonNode configRaw(String idOrName) {
    return get(path("/configs", idOrName), null);
  }

  public String createConfig(Secret.Spec spec) {
    return post("/configs/create", null, spec).path("ID").asText();
  }

  public void updateConfig(String id, long version, Secret.Spec spec) {
    post(path("/configs", id) + "/update", query("version", Long.toString(version)), spec);
  }

  public void removeConfig(String idOrName) {
    delete(path("/configs", idOrName), null);
  }

  // ---- tasks ----

  public List<Task> tasks(Filters filters) {
    return convertList(get("/tasks", query("filters", filters == null ? "" : filters.toJson())), Task.class);
  }

  /** Lists a JSON array of raw objects, for commands that print what the daemon sent. */
  public static List<JsonNode> elements(JsonNode array) {
    List<JsonNode> out = new ArrayList<>();
    if (array != null && array.isArray()) {
      array.forEach(out::add);
    }
    return out;
  }
}
