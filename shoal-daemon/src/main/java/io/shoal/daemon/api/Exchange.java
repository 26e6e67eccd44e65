package io.shoal.daemon.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.shoal.api.error.ShoalException;
import io.shoal.api.json.Json;
import io.shoal.manager.controlapi.Filters;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * One API request and its response, as handlers see it: path parameters, Docker-style query
 * values and filters, a strictly parsed JSON body, and JSON or streamed answers. Blocking: a
 * handler runs on a server pool thread and may wait.
 */
public final class Exchange {
  private final Request request;
  private final Response response;
  private final Callback callback;
  private final Matcher path;
  private final Fields query;
  private boolean done;

  Exchange(Request request, Response response, Callback callback, Matcher path) {
    this.request = request;
    this.response = response;
    this.callback = callback;
    this.path = path;
    this.query = Request.extractQueryParameters(request);
  }

  public String path(int group) {
    return java.net.URLDecoder.decode(path.group(group), StandardCharsets.UTF_8);
  }

  public String method() {
    return request.getMethod();
  }

  public String header(String name) {
    return request.getHeaders().get(name);
  }

  public String query(String name) {
    return query.getValue(name);
  }

  /** Docker's booleans: 1/true/True are true; absent is {@code dflt}. */
  public boolean flag(String name, boolean dflt) {
    String v = query(name);
    if (v == null || v.isEmpty()) return dflt;
    return v.equals("1") || v.equalsIgnoreCase("true");
  }

  public long longQuery(String name, long dflt) {
    String v = query(name);
    if (v == null || v.isEmpty()) return dflt;
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new ShoalException.InvalidSpec("invalid value for " + name + ": " + v);
    }
  }

  /** {@code ?version=N}, required for updates as in Docker. */
  public long version() {
    String v = query("version");
    if (v == null || v.isEmpty()) throw new ShoalException.InvalidSpec("invalid swarm version: version parameter is required");
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new ShoalException.InvalidSpec("invalid swarm version '" + v + "'");
    }
  }

  /**
   * Docker's {@code filters} query value: {@code {"key":["v"]}} or the older {@code {"key":{"v":true}}}.
   */
  public Filters filters() {
    String raw = query("filters");
    if (raw == null || raw.isEmpty()) return Filters.NONE;
    try {
      JsonNode n = Json.lenient().readTree(raw);
      Map<String, List<String>> out = new LinkedHashMap<>();
      n.fields().forEachRemaining(e -> {
        List<String> vals = new ArrayList<>();
        if (e.getValue().isArray()) e.getValue().forEach(v -> vals.add(v.asText()));
        else if (e.getValue().isObject()) e.getValue().fields().forEachRemaining(v -> { if (v.getValue().asBoolean()) vals.add(v.getKey()); });
        else vals.add(e.getValue().asText());
        out.put(e.getKey(), vals);
      });
      return new Filters(out);
    } catch (IOException e) {
      throw new ShoalException.InvalidSpec("invalid filter: " + e.getMessage());
    }
  }

  public byte[] bodyBytes() throws IOException {
    try (InputStream in = Request.asInputStream(request)) {
      return in.readAllBytes();
    }
  }

  /**
   * The JSON body as {@code type}: a JSON object, strictly typed. Malformed JSON, {@code null} or
   * another non-object, a wrong type ({@code "Replicas": "3"}) and a field of the Engine API that
   * Shoal does not honour are 400s naming the problem; fields the Engine API does not define are
   * skipped as dockerd skips them ({@link Json#strict()}).
   */
  public <T> T body(Class<T> type) throws IOException {
    byte[] b = bodyBytes();
    if (b.length == 0) throw new ShoalException.InvalidSpec("request body is empty: a JSON " + type.getSimpleName() + " is required");
    return parse(b, type);
  }

  /** Same as {@link #body} but an empty body gives {@code dflt}. */
  public <T> T bodyOr(Class<T> type, T dflt) throws IOException {
    byte[] b = bodyBytes();
    if (b.length == 0) return dflt;
    return parse(b, type);
  }

  static <T> T parse(byte[] b, Class<T> type) {
    try {
      requireObject(b, type);
      return Json.strict().readValue(b, type);
    } catch (UnrecognizedPropertyException e) {
      throw new ShoalException.InvalidSpec("json: unknown field \"" + e.getPropertyName() + "\" at " + pathOf(e));
    } catch (io.shoal.api.json.UnsupportedFieldException e) {
      throw new ShoalException.InvalidSpec("json: " + e.getOriginalMessage() + " (at " + pathOf(e) + ")");
    } catch (com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
      // Go's wording: "json: cannot unmarshal string into ... field ServiceSpec.Mode.Replicated.Replicas of type uint64"
      throw new ShoalException.InvalidSpec("json: cannot unmarshal " + describeValue(b, e) + " into field " + pathOf(e)
          + " of type " + typeName(e.getTargetType()), e);
    } catch (JsonProcessingException e) {
      throw new ShoalException.InvalidSpec("invalid JSON: " + e.getOriginalMessage() + " at " + pathOf(e), e);
    } catch (IOException e) {
      throw new ShoalException.InvalidSpec("invalid JSON: " + e.getMessage(), e);
    }
  }

  /** A body of {@code null}, an array or a scalar is not a request: a 400, never a null spec. */
  private static void requireObject(byte[] b, Class<?> type) throws IOException {
    try (com.fasterxml.jackson.core.JsonParser p = Json.strict().createParser(b)) {
      com.fasterxml.jackson.core.JsonToken t = p.nextToken();
      if (t != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
        throw new ShoalException.InvalidSpec("request body must be a JSON object (" + type.getSimpleName() + "), got "
            + (t == null ? "nothing" : switch (t) {
              case VALUE_NULL -> "null";
              case START_ARRAY -> "an array";
              case VALUE_STRING -> "a string";
              case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
              case VALUE_TRUE, VALUE_FALSE -> "a boolean";
              default -> t.asString() == null ? t.name() : t.asString();
            }));
      }
    }
  }

  /** Go's name for the JSON type of the value at the failing path ("string", "number 1.5"...). */
  private static String describeValue(byte[] body, com.fasterxml.jackson.databind.JsonMappingException e) {
    try {
      JsonNode n = Json.lenient().readTree(body);
      for (var ref : e.getPath()) {
        if (n == null) break;
        n = ref.getFieldName() != null ? fieldIgnoringCase(n, ref.getFieldName()) : n.get(ref.getIndex());
      }
      if (n == null) return "a value";
      if (n.isTextual()) return "string";
      if (n.isIntegralNumber()) return "number";
      if (n.isNumber()) return "number " + n.asText();
      if (n.isBoolean()) return "bool";
      if (n.isArray()) return "array";
      if (n.isObject()) return "object";
      return n.isNull() ? "null" : "a value";
    } catch (IOException | RuntimeException ignored) {
      return "a value";
    }
  }

  private static JsonNode fieldIgnoringCase(JsonNode n, String name) {
    if (n.has(name)) return n.get(name);
    for (var it = n.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (f.equalsIgnoreCase(name)) return n.get(f);
    }
    return null;
  }

  private static String typeName(Class<?> t) {
    if (t == null) return "?";
    if (t == String.class) return "string";
    if (t == Long.class || t == long.class || t == Integer.class || t == int.class) return "integer";
    if (t == Double.class || t == double.class || t == Float.class) return "number";
    if (t == Boolean.class || t == boolean.class) return "bool";
    if (java.util.Collection.class.isAssignableFrom(t)) return "array";
    if (java.util.Map.class.isAssignableFrom(t)) return "object";
    return t.getSimpleName();
  }

  private static String pathOf(JsonProcessingException e) {
    if (e instanceof com.fasterxml.jackson.databind.JsonMappingException m && !m.getPath().isEmpty()) {
      StringBuilder sb = new StringBuilder();
      for (var ref : m.getPath()) {
        if (ref.getFieldName() != null) sb.append(sb.length() == 0 ? "" : ".").append(ref.getFieldName());
        else if (ref.getIndex() >= 0) sb.append('[').append(ref.getIndex()).append(']');
      }
      return sb.toString();
    }
    var loc = e.getLocation();
    return loc == null ? "?" : "line " + loc.getLineNr() + ", column " + loc.getColumnNr();
  }

  public void json(int status, Object value) {
    byte[] bytes = Json.bytes(value);
    send(status, "application/json", bytes);
  }

  public void text(int status, String body) {
    send(status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
  }

  public void empty(int status) {
    send(status, null, new byte[0]);
  }

  public void header(String name, String value) {
    response.getHeaders().put(name, value);
  }

  private void send(int status, String type, byte[] bytes) {
    if (done) return;
    done = true;
    response.setStatus(status);
    if (type != null) response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
    if ("HEAD".equals(request.getMethod())) {
      response.write(true, ByteBuffer.allocate(0), callback);
    } else {
      response.write(true, ByteBuffer.wrap(bytes), callback);
    }
  }

  /** Starts a streamed answer (logs); the caller writes and closes the stream. */
  public OutputStream stream(int status, String type) {
    done = true;
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
    OutputStream out = Content.Sink.asOutputStream(response);
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        out.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void flush() throws IOException {
        out.flush();
      }

      @Override
      public void close() throws IOException {
        try {
          out.close();
          callback.succeeded();
        } catch (IOException e) {
          callback.failed(e);
          throw e;
        }
      }
    };
  }

  /**
   * True once the client's connection is closed: a streaming handler that has nothing to write
   * (events, a quiet follow) polls this to stop instead of holding a thread for a gone client.
   */
  public boolean clientGone() {
    var endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
    return !endPoint.isOpen() || endPoint.isInputShutdown();
  }

  boolean done() {
    return done;
  }

  void fail(Throwable t) {
    if (!done) {
      done = true;
      callback.failed(t);
    }
  }
}
