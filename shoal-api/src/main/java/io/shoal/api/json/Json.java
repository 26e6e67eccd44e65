package io.shoal.api.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The one JSON mapping of Shoal's objects, shaped like Docker's Engine API: PascalCase keys,
 * RFC 3339 timestamps, absent values omitted.
 *
 * <p>Two mappers: {@link #strict()} rejects unknown fields (what a client sends us must be
 * understood, or it is an error that changes nothing), {@link #lenient()} ignores them (what we
 * read back from disk or from a newer peer). Like Go's encoding/json, keys match
 * case-insensitively, so {@code "replicas"} and {@code "Replicas"} are the same field.
 *
 * <p>Thread-safe: the mappers are immutable after construction.
 */
public final class Json {
  private static final ObjectMapper STRICT = build(true);
  private static final ObjectMapper LENIENT = build(false);

  private Json() {}

  private static ObjectMapper build(boolean failOnUnknown) {
    return JsonMapper.builder()
        .propertyNamingStrategy(PropertyNamingStrategies.UPPER_CAMEL_CASE)
        .configure(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES, true)
        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, failOnUnknown)
        .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true)
        .configure(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS, false)
        .configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false)
        .serializationInclusion(JsonInclude.Include.NON_NULL)
        .addModule(new JavaTimeModule())
        .build();
  }

  /** Mapper for request bodies: unknown fields are an error. */
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
