package io.shoal.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shoal.api.json.Json;
import io.shoal.api.model.Cluster;
import io.shoal.api.model.Config;
import io.shoal.api.model.Network;
import io.shoal.api.model.Node;
import io.shoal.api.model.Secret;
import io.shoal.api.model.Service;
import io.shoal.api.model.StoreObject;
import io.shoal.api.model.Task;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Bytes for raft log entries and snapshots: JSON, with each object's table named so it reads back
 * into the right record. JSON keeps entries readable when debugging and lets an older replica skip
 * fields a newer one added.
 */
public final class Codec {
  private static final ObjectMapper M = Json.lenient();
  private static final Map<StoreObject.Kind, Class<? extends StoreObject>> TYPES = new EnumMap<>(StoreObject.Kind.class);

  static {
    TYPES.put(StoreObject.Kind.NODE, Node.class);
    TYPES.put(StoreObject.Kind.SERVICE, Service.class);
    TYPES.put(StoreObject.Kind.TASK, Task.class);
    TYPES.put(StoreObject.Kind.NETWORK, Network.class);
    TYPES.put(StoreObject.Kind.SECRET, Secret.class);
    TYPES.put(StoreObject.Kind.CONFIG, Config.class);
    TYPES.put(StoreObject.Kind.CLUSTER, Cluster.class);
  }

  private Codec() {}

  public static byte[] encode(Proposal p) {
    ObjectNode root = M.createObjectNode();
    root.put("At", p.at().toString());
    ArrayNode actions = root.putArray("Actions");
    for (StoreAction a : p.actions()) {
      ObjectNode n = actions.addObject();
      n.put("Op", a.op().name());
      n.put("Kind", a.kind().name());
      n.put("Id", a.id());
      n.put("Expected", a.expected());
      if (a.object() != null) n.set("Object", M.valueToTree(a.object()));
    }
    return write(root);
  }

  public static Proposal decode(byte[] bytes) {
    JsonNode root = read(bytes);
    List<StoreAction> actions = new ArrayList<>();
    for (JsonNode n : root.get("Actions")) {
      StoreObject.Kind kind = StoreObject.Kind.valueOf(n.get("Kind").asText());
      StoreObject obj = n.hasNonNull("Object") ? toObject(kind, n.get("Object")) : null;
      actions.add(new StoreAction(StoreAction.Op.valueOf(n.get("Op").asText()), kind,
          n.get("Id").asText(), n.get("Expected").asLong(), obj));
    }
    return new Proposal(Instant.parse(root.get("At").asText()), actions);
  }

  static byte[] encodeSnapshot(long index, Map<StoreObject.Kind, List<StoreObject>> tables) {
    ObjectNode root = M.createObjectNode();
    root.put("Index", index);
    ObjectNode objects = root.putObject("Objects");
    tables.forEach((k, list) -> {
      ArrayNode arr = objects.putArray(k.name());
      for (StoreObject o : list) arr.add(M.valueToTree(o));
    });
    return write(root);
  }

  /** Snapshot contents: the index it was taken at and every object. */
  record Snapshot(long index, Map<StoreObject.Kind, List<StoreObject>> tables) {}

  static Snapshot decodeSnapshot(byte[] bytes) {
    JsonNode root = read(bytes);
    Map<StoreObject.Kind, List<StoreObject>> tables = new EnumMap<>(StoreObject.Kind.class);
    root.get("Objects").fields().forEachRemaining(e -> {
      StoreObject.Kind kind = StoreObject.Kind.valueOf(e.getKey());
      List<StoreObject> list = new ArrayList<>();
      for (JsonNode n : e.getValue()) list.add(toObject(kind, n));
      tables.put(kind, list);
    });
    return new Snapshot(root.get("Index").asLong(), tables);
  }

  private static StoreObject toObject(StoreObject.Kind kind, JsonNode n) {
    try {
      return M.treeToValue(n, TYPES.get(kind));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] write(JsonNode n) {
    try {
      return M.writeValueAsBytes(n);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode read(byte[] b) {
    try {
      return M.readTree(b);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
