package io.shoal.cli.command.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shoal.api.json.Json;
import io.shoal.cli.client.FakeDaemon.Framing;
import io.shoal.cli.client.FakeDaemon.Request;
import io.shoal.cli.client.FakeDaemon.Response;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stateful fake of the daemon's stack API for T3 tests, served through {@code FakeDaemon}:
 * networks, secrets, configs and services kept in maps, Docker's response shapes, label and
 * service filters, version checks on update. Tasks come from {@link #tasks}, which a test replaces
 * to script readiness (e.g. "starting" for the first polls). Every write is appended to
 * {@link #writes} ({@code "POST services db"}), so tests can assert order.
 */
final class MiniSwarm implements Function<Request, Response> {
  private static final ObjectMapper M = Json.lenient();
  private static final Pattern ITEM = Pattern.compile("/v1\\.44/(networks|secrets|configs|services|tasks)/([^/]+)(/update)?");
  final Map<String, Map<String, ObjectNode>> store = new LinkedHashMap<>();
  final List<String> writes = new ArrayList<>();
  /** Tasks of a service (its stored JSON) at each poll; default: one running task. */
  Function<ObjectNode, List<ObjectNode>> tasks = s -> List.of(task(s, "running", 1));
  private int ids;

  MiniSwarm() {
    for (String k : List.of("networks", "secrets", "configs", "services")) store.put(k, new LinkedHashMap<>());
  }

  static ObjectNode task(ObjectNode service, String state, int slot) {
    ObjectNode t = M.createObjectNode();
    t.put("ID", service.path("ID").asText() + "t" + slot);
    t.put("ServiceID", service.path("ID").asText());
    t.put("Slot", slot);
    t.put("NodeID", "node1");
    t.put("DesiredState", "running");
    t.putObject("Status").put("State", state).put("Timestamp", "2026-11-21T11:59:00Z");
    t.set("Spec", service.path("Spec").path("TaskTemplate"));
    return t;
  }

  @Override
  public synchronized Response apply(Request r) {
    try {
      return handle(r);
    } catch (Exception e) {
      return Response.error(500, e.toString());
    }
  }

  private Response handle(Request r) throws Exception {
    String p = r.path();
    String m = r.method();
    if (p.equals("/_ping")) return new Response(200, Map.of("API-Version", "1.44"), List.of("OK".getBytes()), Framing.LENGTH);
    if (p.equals("/v1.44/info")) return Response.ok("{\"Swarm\":{\"ControlAvailable\":true,\"NodeID\":\"node1\"}}");
    if (p.equals("/v1.44/nodes")) return Response.ok("[{\"ID\":\"node1\",\"Description\":{\"Hostname\":\"host1\"}}]");
    for (String kind : store.keySet()) {
      if (m.equals("GET") && p.equals("/v1.44/" + kind)) return list(kind, r.query("filters"));
      if (m.equals("POST") && p.equals("/v1.44/" + kind + "/create")) return create(kind, (ObjectNode) M.readTree(r.body()));
    }
    if (m.equals("GET") && p.equals("/v1.44/tasks")) return Response.ok(tasks(r.query("filters")).toString());
    Matcher im = ITEM.matcher(p);
    if (im.matches()) {
      String kind = im.group(1);
      ObjectNode item = find(kind, im.group(2));
      if (item == null) return Response.error(404, kind.substring(0, kind.length() - 1) + " " + im.group(2) + " not found");
      String name = name(kind, item);
      if (m.equals("GET")) return Response.ok(item.toString());
      if (m.equals("DELETE")) {
        store.get(kind).remove(item.path(idKey(kind)).asText());
        writes.add("DELETE " + kind + " " + name);
        return new Response(204, Map.of(), List.of(), Framing.LENGTH);
      }
      if (m.equals("POST") && im.group(3) != null) {
        long v = Long.parseLong(r.query("version"));
        if (v != item.path("Version").path("Index").asLong()) return Response.error(500, "update out of sequence");
        item.set("Spec", M.readTree(r.body()));
        item.putObject("Version").put("Index", v + 1);
        writes.add("UPDATE " + kind + " " + name);
        return Response.ok(kind.equals("services") ? "{\"Warnings\":null}" : "");
      }
    }
    return Response.error(404, "page not found: " + p);
  }

  private static String idKey(String kind) {
    return kind.equals("networks") ? "Id" : "ID";
  }

  private static String name(String kind, JsonNode item) {
    return kind.equals("networks") ? item.path("Name").asText() : item.path("Spec").path("Name").asText();
  }

  private static JsonNode labels(String kind, JsonNode item) {
    return kind.equals("networks") ? item.path("Labels") : item.path("Spec").path("Labels");
  }

  ObjectNode find(String kind, String idOrName) {
    for (ObjectNode n : store.get(kind).values()) {
      if (n.path(idKey(kind)).asText().equals(idOrName) || name(kind, n).equals(idOrName)) return n;
    }
    return null;
  }

  private Response create(String kind, ObjectNode body) {
    String name = kind.equals("networks") ? body.path("Name").asText() : body.path("Name").asText();
    if (find(kind, name) != null) return Response.error(409, "name conflicts with an existing object");
    String id = kind.substring(0, 3) + (++ids);
    ObjectNode item = M.createObjectNode();
    if (kind.equals("networks")) {
      item.put("Name", name).put("Id", id).put("Created", "2026-11-21T11:00:00Z").put("Scope", "swarm");
      item.put("Driver", body.path("Driver").asText("overlay")).put("Attachable", body.path("Attachable").asBoolean());
      item.set("Labels", body.path("Labels").isMissingNode() ? M.createObjectNode() : body.get("Labels"));
    } else {
      item.put("ID", id).putObject("Version").put("Index", 10 + ids);
      item.put("CreatedAt", "2026-11-21T11:00:00Z").put("UpdatedAt", "2026-11-21T11:30:00Z");
      if (kind.equals("secrets")) {
        body = body.deepCopy();
        body.remove("Data"); // the API never returns a secret's data
      }
      item.set("Spec", body);
    }
    store.get(kind).put(id, item);
    writes.add("CREATE " + kind + " " + name);
    return Response.json(201, kind.equals("networks") ? "{\"Id\":\"" + id + "\",\"Warning\":\"\"}"
        : kind.equals("services") ? "{\"ID\":\"" + id + "\",\"Warnings\":null}" : "{\"ID\":\"" + id + "\"}");
  }

  private Response list(String kind, String filters) throws Exception {
    ArrayNode out = M.createArrayNode();
    JsonNode f = filters == null ? M.createObjectNode() : M.readTree(filters);
    for (ObjectNode n : store.get(kind).values()) {
      if (matches(f.path("label"), labels(kind, n))) out.add(n);
    }
    return Response.ok(out.toString());
  }

  private ArrayNode tasks(String filters) throws Exception {
    JsonNode f = filters == null ? M.createObjectNode() : M.readTree(filters);
    ArrayNode out = M.createArrayNode();
    for (ObjectNode s : store.get("services").values()) {
      JsonNode svc = f.path("service");
      if (svc.isObject() && !svc.has(s.path("ID").asText()) && !svc.has(name("services", s))) continue;
      if (!matches(f.path("label"), labels("services", s))) continue;
      tasks.apply(s).forEach(out::add);
    }
    return out;
  }

  /** Docker's label filter: every {@code k} or {@code k=v} term must hold. */
  private static boolean matches(JsonNode terms, JsonNode labels) {
    for (Iterator<String> it = terms.fieldNames(); it.hasNext(); ) {
      String term = it.next();
      int eq = term.indexOf('=');
      String k = eq < 0 ? term : term.substring(0, eq);
      if (!labels.has(k)) return false;
      if (eq >= 0 && !labels.get(k).asText().equals(term.substring(eq + 1))) return false;
    }
    return true;
  }
}
