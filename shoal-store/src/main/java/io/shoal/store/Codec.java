package io.shoal.store;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
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

  private static final Map<StoreObject.Kind, ObjectReader> READERS = new EnumMap<>(StoreObject.Kind.class);
  private static final ObjectReader TREE = M.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  static {
    TYPES.forEach((k, type) -> READERS.put(k, M.readerFor(type).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)));
  }

  private Codec() {}

  /**
   * Streamed straight to bytes, objects serialised in place: building a JSON tree first and then
   * writing it (as this did) cost 2-3x the CPU (500-task entry, measured side by side), on every
   * entry, on the raft leader. The bytes are the same.
   */
  public static byte[] encode(Proposal p) {
    ByteArrayBuilder out = new ByteArrayBuilder(256 + 1024 * p.actions().size());
    try (JsonGenerator g = M.getFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("At", p.at().toString());
      g.writeArrayFieldStart("Actions");
      for (StoreAction a : p.actions()) {
        g.writeStartObject();
        g.writeStringField("Op", a.op().name());
        g.writeStringField("Kind", a.kind().name());
        g.writeStringField("Id", a.id());
        g.writeNumberField("Expected", a.expected());
        if (a.object() != null) {
          g.writeFieldName("Object");
          M.writeValue(g, a.object());
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * Streamed, each object read straight into its record: reading a tree first and converting it
   * (as this did) cost about 2x the CPU (500-task entry, side by side), on every entry, on every
   * replica. Fields may come in
   * any order; an object that comes before its kind is read as a tree and converted after.
   */
  public static Proposal decode(byte[] bytes) {
    try (JsonParser jp = M.createParser(bytes)) {
      expect(jp.nextToken(), JsonToken.START_OBJECT);
      String at = null;
      List<StoreAction> actions = new ArrayList<>();
      while (jp.nextToken() == JsonToken.FIELD_NAME) {
        String field = jp.getCurrentName();
        JsonToken t = jp.nextToken();
        if ("At".equals(field)) {
          at = jp.getText();
        } else if ("Actions".equals(field)) {
          expect(t, JsonToken.START_ARRAY);
          while (jp.nextToken() == JsonToken.START_OBJECT) actions.add(action(jp));
        } else {
          jp.skipChildren();
        }
      }
      if (at == null) throw new UncheckedIOException(new IOException("raft entry without At"));
      return new Proposal(Instant.parse(at), actions);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static StoreAction action(JsonParser jp) throws IOException {
    String op = null;
    String kind = null;
    String id = null;
    long expected = 0;
    StoreObject object = null;
    JsonNode early = null;
    while (jp.nextToken() == JsonToken.FIELD_NAME) {
      String field = jp.getCurrentName();
      JsonToken t = jp.nextToken();
      switch (field) {
        case "Op" -> op = jp.getText();
        case "Kind" -> kind = jp.getText();
        case "Id" -> id = jp.getText();
        case "Expected" -> expected = jp.getLongValue();
        case "Object" -> {
          if (t == JsonToken.VALUE_NULL) break;
          // the entry goes on after the object: the mapper's trailing-token check must not apply
          if (kind != null) object = READERS.get(StoreObject.Kind.valueOf(kind)).readValue(jp);
          else early = TREE.readTree(jp);
        }
        default -> jp.skipChildren();
      }
    }
    StoreObject.Kind k = StoreObject.Kind.valueOf(kind);
    if (early != null) object = toObject(k, early);
    return new StoreAction(StoreAction.Op.valueOf(op), k, id, expected, object);
  }

  private static void expect(JsonToken got, JsonToken want) throws IOException {
    if (got != want) throw new IOException("raft entry: expected " + want + ", got " + got);
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
