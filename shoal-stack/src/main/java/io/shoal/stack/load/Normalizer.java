package io.shoal.stack.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shoal.stack.StackException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rewrites one validated compose file into its single long form, so that merging and mapping see
 * one shape per concept: environment/labels/sysctls as maps (env_file read in, environment wins,
 * and a key without a value taken from the environment as docker does), ports/volumes/secrets/
 * configs as objects, service networks and depends_on as maps, commands as word lists, string-or-
 * list keys as lists, healthcheck tests as {@code CMD-SHELL} lists, ulimit numbers as soft/hard,
 * {@code external: {name: x}} as {@code external: true, name: x}, and relative bind sources
 * resolved against the project directory.
 */
final class Normalizer {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private final String fileName;
  private final Path workingDir;
  private final Map<String, String> env;

  Normalizer(String fileName, Path workingDir, Map<String, String> env) {
    this.fileName = fileName;
    this.workingDir = workingDir;
    this.env = env;
  }

  ObjectNode normalize(JsonNode root) {
    ObjectNode out = root.deepCopy();
    ObjectNode services = objectOrNull(out, "services");
    if (services != null) {
      for (Iterator<Map.Entry<String, JsonNode>> it = services.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        ObjectNode svc = e.getValue().isObject() ? (ObjectNode) e.getValue() : F.objectNode();
        e.setValue(service("services." + e.getKey(), svc));
      }
    }
    for (String section : List.of("networks", "volumes", "secrets", "configs")) {
      ObjectNode objs = objectOrNull(out, section);
      if (objs == null) continue;
      for (Iterator<Map.Entry<String, JsonNode>> it = objs.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        ObjectNode o = e.getValue().isObject() ? (ObjectNode) e.getValue() : F.objectNode();
        external(o);
        map(o, "labels");
        map(o, "driver_opts");
        if (section.equals("secrets") || section.equals("configs")) {
          JsonNode file = o.get("file");
          if (file != null && file.isTextual()) o.put("file", resolvePath(file.asText()));
        }
        e.setValue(o);
      }
    }
    return out;
  }

  private static ObjectNode objectOrNull(ObjectNode parent, String key) {
    JsonNode n = parent.get(key);
    return n instanceof ObjectNode o ? o : null;
  }

  private static void external(ObjectNode o) {
    JsonNode ext = o.get("external");
    if (ext != null && ext.isObject()) {
      // The 3.x form "external: {name: x}" is the same as "external: true" with "name: x".
      if (ext.hasNonNull("name")) o.put("name", ext.get("name").asText());
      o.put("external", true);
    }
  }

  private ObjectNode service(String path, ObjectNode s) {
    ObjectNode env = environment(path, s);
    s.remove("env_file");
    if (env != null) s.set("environment", env);
    map(s, "labels");
    map(s, "sysctls");
    JsonNode deploy = s.get("deploy");
    if (deploy instanceof ObjectNode d) map(d, "labels");
    for (String k : List.of("dns", "dns_search", "tmpfs")) list(s, k);
    for (String k : List.of("command", "entrypoint")) command(path + "." + k, s, k);
    extraHosts(s);
    ports(path, s);
    volumes(path, s);
    fileRefs(s, "secrets");
    fileRefs(s, "configs");
    networks(s);
    dependsOn(s);
    JsonNode hc = s.get("healthcheck");
    if (hc instanceof ObjectNode h && h.has("test") && h.get("test").isTextual()) {
      ArrayNode t = F.arrayNode().add("CMD-SHELL").add(h.get("test").asText());
      h.set("test", t);
    }
    JsonNode ul = s.get("ulimits");
    if (ul instanceof ObjectNode u) {
      for (Iterator<Map.Entry<String, JsonNode>> it = u.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getValue().isNumber()) {
          e.setValue(F.objectNode().put("soft", e.getValue().asLong()).put("hard", e.getValue().asLong()));
        }
      }
    }
    return s;
  }

  /** env_file entries first, then environment over them; valueless keys come from the environment. */
  private ObjectNode environment(String path, ObjectNode s) {
    if (!s.has("env_file") && !s.has("environment")) return null;
    Map<String, String> out = new LinkedHashMap<>();
    JsonNode files = s.get("env_file");
    if (files != null) {
      for (JsonNode f : files.isArray() ? files : F.arrayNode().add(files)) {
        String p = f.isObject() ? f.path("path").asText() : f.asText();
        boolean required = !f.isObject() || f.path("required").asBoolean(true);
        Map<String, String> vars = readEnvFile(path + ".env_file", resolvePath(p), required);
        vars.forEach((k, v) -> put(out, k, v));
      }
    }
    JsonNode envNode = s.get("environment");
    if (envNode != null) {
      toMap(envNode).forEach((k, v) -> put(out, k, v));
    }
    ObjectNode o = F.objectNode();
    out.forEach((k, v) -> {
      if (v == null) o.putNull(k);
      else o.put(k, v);
    });
    return o;
  }

  private void put(Map<String, String> out, String k, String v) {
    // As docker's loader: a value that is missing or empty is taken from the environment if set.
    String fromEnv = env.get(k);
    out.put(k, (v == null || v.isEmpty()) && fromEnv != null ? fromEnv : v);
  }

  private Map<String, String> readEnvFile(String path, String file, boolean required) {
    Map<String, String> vars = new LinkedHashMap<>();
    List<String> lines;
    try {
      lines = Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      if (!required) return vars;
      throw new StackException.InvalidCompose(fileName + ": " + path + ": env file " + file + " not found");
    } catch (IOException e) {
      throw new StackException.InvalidCompose(fileName + ": " + path + ": cannot read " + file + ": " + e.getMessage());
    }
    int n = 0;
    for (String raw : lines) {
      n++;
      String line = raw.stripLeading();
      if (n == 1 && line.startsWith("\uFEFF")) line = line.substring(1);
      if (line.isEmpty() || line.startsWith("#")) continue;
      int eq = line.indexOf('=');
      String key = eq < 0 ? line.strip() : line.substring(0, eq);
      if (key.isEmpty() || key.chars().anyMatch(Character::isWhitespace)) {
        throw new StackException.InvalidCompose(file + ": line " + n + ": variable '" + key + "' contains whitespaces");
      }
      if (eq < 0) {
        // A bare name is passed through from the environment, and dropped when unset.
        String v = env.get(key);
        if (v != null) vars.put(key, v);
      } else {
        vars.put(key, line.substring(eq + 1));
      }
    }
    return vars;
  }

  /** list ("k=v" / "k") or mapping → mapping of strings (null for a bare key). */
  static Map<String, String> toMap(JsonNode n) {
    Map<String, String> out = new LinkedHashMap<>();
    if (n == null || n.isNull()) return out;
    if (n.isArray()) {
      for (JsonNode item : n) {
        String s = item.asText();
        int eq = s.indexOf('=');
        if (eq < 0) out.put(s, null);
        else out.put(s.substring(0, eq), s.substring(eq + 1));
      }
    } else {
      n.fields().forEachRemaining(e -> out.put(e.getKey(), ShortSyntax.text(e.getValue())));
    }
    return out;
  }

  private static void map(ObjectNode parent, String key) {
    JsonNode n = parent.get(key);
    if (n == null || n.isNull()) return;
    ObjectNode o = F.objectNode();
    toMap(n).forEach((k, v) -> o.put(k, v == null ? "" : v));
    parent.set(key, o);
  }

  private static void list(ObjectNode parent, String key) {
    JsonNode n = parent.get(key);
    if (n != null && n.isTextual()) parent.set(key, F.arrayNode().add(n.asText()));
  }

  private void command(String path, ObjectNode s, String key) {
    JsonNode n = s.get(key);
    if (n == null) return;
    if (n.isNull()) {
      s.remove(key);
    } else if (n.isTextual()) {
      ArrayNode a = F.arrayNode();
      try {
        ShortSyntax.shellSplit(n.asText()).forEach(a::add);
      } catch (IllegalArgumentException e) {
        throw new StackException.InvalidCompose(fileName + ": " + path + ": " + e.getMessage());
      }
      s.set(key, a);
    }
  }

  private static void extraHosts(ObjectNode s) {
    JsonNode n = s.get("extra_hosts");
    if (n == null) return;
    ArrayNode a = F.arrayNode();
    if (n.isObject()) {
      n.fields().forEachRemaining(e -> a.add(e.getKey() + ":" + ShortSyntax.text(e.getValue())));
    } else {
      for (JsonNode h : n) {
        String t = h.asText();
        // "host=ip" is the newer spelling of "host:ip"; IPv6 addresses contain ':' themselves.
        int eq = t.indexOf('=');
        a.add(eq > 0 ? t.substring(0, eq) + ":" + t.substring(eq + 1) : t);
      }
    }
    s.set("extra_hosts", a);
  }

  private void ports(String path, ObjectNode s) {
    JsonNode n = s.get("ports");
    if (n == null) return;
    ArrayNode a = F.arrayNode();
    int i = 0;
    for (JsonNode p : n) {
      try {
        if (p.isObject()) {
          ObjectNode o = p.deepCopy();
          JsonNode pub = o.get("published");
          if (pub != null && pub.isTextual()) {
            int[] r = ShortSyntax.range(pub.asText(), pub.asText());
            if (r[0] != r[1]) throw new IllegalArgumentException("a published range needs the short syntax");
            o.put("published", r[0]);
          }
          o.remove("host_ip");
          o.remove("app_protocol");
          a.add(o);
        } else {
          ShortSyntax.ports(ShortSyntax.text(p)).forEach(a::add);
        }
      } catch (IllegalArgumentException e) {
        throw new StackException.InvalidCompose(fileName + ": " + path + ".ports." + i + ": " + e.getMessage());
      }
      i++;
    }
    s.set("ports", a);
  }

  private void volumes(String path, ObjectNode s) {
    JsonNode n = s.get("volumes");
    if (n == null) return;
    ArrayNode a = F.arrayNode();
    int i = 0;
    for (JsonNode v : n) {
      ObjectNode o;
      try {
        o = v.isObject() ? v.deepCopy() : ShortSyntax.volume(v.asText());
      } catch (IllegalArgumentException e) {
        throw new StackException.InvalidCompose(fileName + ": " + path + ".volumes." + i + ": " + e.getMessage());
      }
      if ("bind".equals(o.path("type").asText()) && o.hasNonNull("source")) {
        o.put("source", resolvePath(o.get("source").asText()));
      }
      a.add(o);
      i++;
    }
    s.set("volumes", a);
  }

  private static void fileRefs(ObjectNode s, String key) {
    JsonNode n = s.get(key);
    if (n == null) return;
    ArrayNode a = F.arrayNode();
    for (JsonNode r : n) {
      a.add(r.isObject() ? r.deepCopy() : F.objectNode().put("source", r.asText()));
    }
    s.set(key, a);
  }

  private static void networks(ObjectNode s) {
    JsonNode n = s.get("networks");
    if (n == null || !n.isArray()) return;
    ObjectNode o = F.objectNode();
    for (JsonNode name : n) o.putNull(name.asText());
    s.set("networks", o);
  }

  private static void dependsOn(ObjectNode s) {
    JsonNode n = s.get("depends_on");
    if (n == null) return;
    ObjectNode o = F.objectNode();
    if (n.isArray()) {
      for (JsonNode name : n) o.putObject(name.asText()).put("condition", "service_started");
    } else {
      n.fields().forEachRemaining(e -> {
        ObjectNode d = e.getValue().isObject() ? e.getValue().deepCopy() : F.objectNode();
        if (!d.has("condition")) d.put("condition", "service_started");
        o.set(e.getKey(), d);
      });
    }
    s.set("depends_on", o);
  }

  /** Relative paths are relative to the project directory; {@code ~} is $HOME. */
  String resolvePath(String p) {
    if (p.startsWith("~")) {
      String home = env.getOrDefault("HOME", System.getProperty("user.home"));
      return Path.of(home + p.substring(1)).normalize().toString();
    }
    Path path = Path.of(p);
    return path.isAbsolute() ? path.normalize().toString() : workingDir.resolve(path).normalize().toString();
  }
}
