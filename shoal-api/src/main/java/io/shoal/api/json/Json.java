package io.shoal.api.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The one JSON mapping of Shoal's objects, shaped like Docker's Engine API: PascalCase keys,
 * RFC 3339 timestamps, absent values omitted.
 *
 * <p>Two mappers: {@link #strict()} for request bodies (strict types; a field the Engine API
 * defines but Shoal does not model is an error that changes nothing, one it does not define is
 * skipped as dockerd skips it), {@link #lenient()} ignores unknown fields (what we
 * read back from disk or from a newer peer). Like Go's encoding/json, keys match
 * case-insensitively, so {@code "replicas"} and {@code "Replicas"} are the same field.
 *
 * <p>Thread-safe: the mappers are immutable after construction.
 */
public final class Json {
  private static final ObjectMapper STRICT = build(true);
  private static final ObjectMapper LENIENT = build(false);

  private Json() {}

  private static ObjectMapper build(boolean strict) {
    JsonMapper.Builder b = JsonMapper.builder()
        .propertyNamingStrategy(PropertyNamingStrategies.UPPER_CAMEL_CASE)
        .configure(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES, true)
        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, strict)
        .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true)
        .configure(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS, false)
        .configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false)
        .serializationInclusion(JsonInclude.Include.NON_NULL)
        .addModule(new JavaTimeModule());
    if (strict) {
      // Types as Go's decoder checks them: dockerd answers "Replicas": "3", 1.5 or "Image": 5
      // with a 400, and a request that means something else than it says must change nothing.
      // Jackson would coerce each of them silently.
      b.configure(MapperFeature.ALLOW_COERCION_OF_SCALARS, false)
          .configure(DeserializationFeature.ACCEPT_FLOAT_AS_INT, false)
          .configure(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS, true)
          .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
          .withCoercionConfig(LogicalType.Textual, c -> c
              .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
              .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
              .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
          .withCoercionConfig(LogicalType.Integer, c -> c
              .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
              .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
              .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
          .withCoercionConfig(LogicalType.Float, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail))
          .withCoercionConfig(LogicalType.Boolean, c -> c
              .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
              .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail))
          .addHandler(new EngineApiFields());
    }
    return b.build();
  }

  /**
   * Mapper for request bodies: strict types, and a field the type does not model is refused when
   * the Engine API defines it and skipped when it does not ({@link EngineApiFields}).
   */
  public static ObjectMapper strict() {
    return STRICT;
  }

  /** Mapper for our own stored data and responses we read: unknown fields are skipped. */
  public static ObjectMapper lenient() {
    return LENIENT;
  }

  public static byte[] bytes(Object value) {
    try {
      return LENIENT.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String string(Object value) {
    try {
      return LENIENT.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static <T> T read(byte[] data, Class<T> type) {
    try {
      return LENIENT.readValue(data, type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
