package io.shoal.stack.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Merges normalized compose files, later over earlier, with the rules of {@code docker stack
 * deploy -c a.yml -c b.yml}:
 *
 * <ul>
 *   <li>Services merge by name, key by key. A scalar in the later file replaces the earlier one;
 *       mappings (environment, labels, deploy, healthcheck, ...) merge recursively.
 *   <li>{@code ports} are merged as a set (an identical port is not repeated) and sorted by
 *       published port; {@code secrets} and {@code configs} merge by {@code source};
 *       {@code volumes} by {@code target}; the later entry replaces the earlier one whole.
 *   <li>{@code command}, {@code entrypoint} and {@code healthcheck.test} are replaced, not
 *       appended.
 *   <li>{@code logging}: same (or one unset) driver merges the options, another driver replaces.
 *   <li>{@code ulimits} and service {@code networks} merge per name; a network's settings
 *       (aliases) are replaced by the later file's, unless the later file names the network
 *       without settings.
 *   <li>Every other list (dns, cap_add, extra_hosts, placement constraints, ...) is appended,
 *       without repeating an equal item (docker appends even duplicates; a repeat never means
 *       anything different, so Shoal drops it).
 *   <li>Top-level networks, volumes, secrets and configs merge by name; a later definition of
 *       the same name replaces the earlier one whole.
 *   <li>{@code version} and {@code name} take the later file's value; {@code x-} keys merge.
 * </ul>
 */
final class Merger {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final Set<String> REPLACED_LISTS = Set.of("command", "entrypoint", "test");

  private Merger() {}

  static ObjectNode merge(List<ObjectNode> files) {
    ObjectNode base = files.get(0).deepCopy();
    for (ObjectNode over : files.subList(1, files.size())) {
      over.fields().forEachRemaining(e -> {
        String key = e.getKey();
        JsonNode b = base.get(key);
        JsonNode o = e.getValue();
        if (key.equals("services") && b instanceof ObjectNode bs && o instanceof ObjectNode os) {
          os.fields().forEachRemaining(se -> {
            JsonNode bsvc = bs.get(se.getKey());
            bs.set(se.getKey(), bsvc instanceof ObjectNode bo && se.getValue() instanceof ObjectNode oo
                ? service(bo, oo) : se.getValue().deepCopy());
          });
        } else if (Set.of("networks", "volumes", "secrets", "configs").contains(key)
            && b instanceof ObjectNode bt && o instanceof ObjectNode ot) {
          ot.fields().forEachRemaining(te -> bt.set(te.getKey(), te.getValue().deepCopy()));
        } else if (b instanceof ObjectNode bo && o instanceof ObjectNode oo) {
          base.set(key, deep(bo, oo));
        } else {
          base.set(key, o.deepCopy());
        }
      });
    }
    return base;
  }

  private static ObjectNode service(ObjectNode base, ObjectNode over) {
    ObjectNode out = base.deepCopy();
    over.fields().forEachRemaining(e -> {
      String k = e.getKey();
      JsonNode b = out.get(k);
      JsonNode o = e.getValue();
      if (b == null || b.isNull() || o.isNull()) {
        out.set(k, o.deepCopy());
        return;
      }
      switch (k) {
        case "ports" -> out.set(k, sortedByPublished(unionBy(b, o, JsonNode::toString)));
        case "secrets", "configs" -> out.set(k, sortedBy(unionBy(b, o, n -> n.path("source").asText()), "source"));
        case "volumes" -> out.set(k, sortedBy(unionBy(b, o, n -> n.path("target").asText()), "target"));
        case "logging" -> out.set(k, logging(b, o));
        case "ulimits", "networks" -> {
          ObjectNode m = b.deepCopy();
          // A bare "- name" (null settings) in the later file keeps the earlier file's aliases.
          o.fields().forEachRemaining(x -> {
            if (!x.getValue().isNull() || !m.has(x.getKey())) m.set(x.getKey(), x.getValue().deepCopy());
          });
          out.set(k, m);
        }
        default -> out.set(k, value(k, b, o));
      }
    });
    return out;
  }

  private static JsonNode value(String key, JsonNode b, JsonNode o) {
    if (b instanceof ObjectNode bo && o instanceof ObjectNode oo) return deep(bo, oo);
    if (b.isArray() && o.isArray() && !REPLACED_LISTS.contains(key)) {
      ArrayNode a = b.deepCopy();
      Set<String> seen = new LinkedHashSet<>();
      b.forEach(x -> seen.add(x.toString()));
      o.forEach(x -> {
        if (seen.add(x.toString())) a.add(x.deepCopy());
      });
      return a;
    }
    return o.deepCopy();
  }

  private static ObjectNode deep(ObjectNode base, ObjectNode over) {
    ObjectNode out = base.deepCopy();
    over.fields().forEachRemaining(e -> {
      JsonNode b = out.get(e.getKey());
      out.set(e.getKey(), b == null || b.isNull() || e.getValue().isNull()
          ? e.getValue().deepCopy() : value(e.getKey(), b, e.getValue()));
    });
    return out;
  }

  private static JsonNode logging(JsonNode b, JsonNode o) {
    String bd = b.path("driver").asText("");
    String od = o.path("driver").asText("");
    if (bd.equals(od) || bd.isEmpty() || od.isEmpty()) {
      ObjectNode out = b.deepCopy();
      if (bd.isEmpty() && !od.isEmpty()) out.put("driver", od);
      if (o.has("options")) {
        ObjectNode opts = out.has("options") && out.get("options").isObject()
            ? (ObjectNode) out.get("options") : out.putObject("options");
        o.get("options").fields().forEachRemaining(x -> opts.set(x.getKey(), x.getValue().deepCopy()));
      }
      return out;
    }
    return o.deepCopy();
  }

  private static List<JsonNode> unionBy(JsonNode b, JsonNode o, Function<JsonNode, String> key) {
    Map<String, JsonNode> m = new LinkedHashMap<>();
    b.forEach(x -> m.put(key.apply(x), x));
    o.forEach(x -> m.put(key.apply(x), x));
    return new ArrayList<>(m.values());
  }

  private static ArrayNode sortedBy(List<JsonNode> items, String field) {
    items.sort(Comparator.comparing(n -> n.path(field).asText()));
    ArrayNode a = F.arrayNode();
    items.forEach(x -> a.add(x.deepCopy()));
    return a;
  }

  private static ArrayNode sortedByPublished(List<JsonNode> items) {
    items.sort(Comparator.comparingLong(n -> n.path("published").asLong(0)));
    ArrayNode a = F.arrayNode();
    items.forEach(x -> a.add(x.deepCopy()));
    return a;
  }
}
