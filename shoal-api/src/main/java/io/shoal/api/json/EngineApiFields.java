package io.shoal.api.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * What a request body's field that Shoal's type does not model means, decided as dockerd would
 * and without dropping anything a user meant:
 * <ul>
 *   <li>a field the Docker Engine API defines for that type (the table in
 *       {@code engine-api-fields.properties}) is one Shoal does not honour: a 400 naming it
 *       ({@link UnsupportedFieldException});
 *   <li>a field the Engine API does not define is skipped, as dockerd's decoder skips it, so a
 *       client newer than Shoal (or one that adds its own keys) keeps working;
 *   <li>a type outside the table (Shoal's own requests) keeps the strict rule: unknown is a 400.
 * </ul>
 * Keys match case-insensitively, as Go's decoder (and {@link Json}) match them. Immutable after
 * class load; thread-safe.
 */
final class EngineApiFields extends DeserializationProblemHandler {
  private static final String TABLE = "engine-api-fields.properties";
  private final Map<String, Set<String>> fields;

  EngineApiFields() {
    this.fields = load();
  }

  /** The Engine API's field names of {@code type} in lower case, or null when it is not an Engine API type. */
  Set<String> of(Class<?> type) {
    return fields.get(type.getName());
  }

  @Override
  public boolean handleUnknownProperty(DeserializationContext ctxt, JsonParser p, JsonDeserializer<?> deserializer,
      Object beanOrClass, String propertyName) throws IOException {
    Class<?> type = beanOrClass instanceof Class<?> c ? c : beanOrClass.getClass();
    Set<String> known = of(type);
    if (known == null) return false;
    if (known.contains(propertyName.toLowerCase(Locale.ROOT))) {
      throw new UnsupportedFieldException(p, propertyName, type);
    }
    p.skipChildren();
    return true;
  }

  private static Map<String, Set<String>> load() {
    Properties p = new Properties();
    try (InputStream in = EngineApiFields.class.getResourceAsStream(TABLE)) {
      if (in == null) throw new IllegalStateException(TABLE + " is missing from the classpath");
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, Set<String>> out = new HashMap<>();
    for (String type : p.stringPropertyNames()) {
      Set<String> names = new HashSet<>();
      for (String f : p.getProperty(type).split(",")) if (!f.isBlank()) names.add(f.trim().toLowerCase(Locale.ROOT));
      out.put(type, Set.copyOf(names));
    }
    return Map.copyOf(out);
  }
}
