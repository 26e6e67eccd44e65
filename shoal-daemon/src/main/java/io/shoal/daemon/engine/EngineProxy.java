package io.shoal.daemon.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.shoal.api.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.HttpStream;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards an Engine API request to the node's engine and its answer back, as a reverse proxy:
 * the body streams both ways, a chunked answer is flushed chunk by chunk (logs, events, pulls and
 * {@code wait} stay live), and a {@code 101} becomes an {@link EngineTunnel}. Without an engine
 * (the process executor) every such request is a 501 saying why.
 *
 * <p>Thread-safe: each request uses a connection of its own; the engine's API version is looked up
 * once.
 */
public final class EngineProxy {
  private static final Logger log = LoggerFactory.getLogger(EngineProxy.class);
  private static final Pattern VERSIONED = Pattern.compile("^/v(\\d+)\\.(\\d+)(/.*)$");
  /** Hop-by-hop headers (RFC 9110 §7.6.1) and those this proxy sets itself. */
  private static final Set<String> HOP = Set.of("connection", "keep-alive", "proxy-connection", "transfer-encoding",
      "te", "trailer", "upgrade", "host", "content-length");

  private final String engineHost;
  private final String unavailable;
  private volatile int[] engineApi;

  private EngineProxy(String engineHost, String unavailable) {
    this.engineHost = engineHost;
    this.unavailable = unavailable;
  }

  /** A proxy to the engine at {@code host} ({@code unix:///var/run/docker.sock}, {@code tcp://h:p}). */
  public static EngineProxy of(String host) {
    return new EngineProxy(host, null);
  }

  /** No engine behind this node: every engine path answers 501 with {@code reason}. */
  public static EngineProxy none(String reason) {
    return new EngineProxy(null, reason);
  }

  public boolean available() {
    return engineHost != null;
  }

  /** Serves {@code request} from the engine; always handles it (true), answering errors itself. */
  public boolean handle(Request request, Response response, Callback callback) {
    String path = Request.getPathInContext(request);
    if (engineHost == null) {
      error(response, callback, 501, "\"" + request.getMethod() + " " + path + "\" needs a container engine, and this node has none: "
          + unavailable);
      return true;
    }
    EngineConnection engine = null;
    try {
      engine = EngineConnection.open(engineHost);
      String target = versioned(request.getHttpURI().getPath());
      String query = request.getHttpURI().getQuery();
      if (query != null && !query.isEmpty()) target += "?" + query;
      boolean upgrade = request.getHeaders().get("Upgrade") != null;
      List<String[]> headers = new ArrayList<>();
      headers.add(new String[] {"Host", "docker"});
      for (HttpField f : request.getHeaders()) {
        if (!HOP.contains(f.getLowerCaseName())) headers.add(new String[] {f.getName(), f.getValue()});
      }
      long length = request.getLength();
      boolean chunkedBody = length < 0 && request.getHeaders().contains("Transfer-Encoding");
      if (length >= 0) headers.add(new String[] {"Content-Length", Long.toString(length)});
      if (chunkedBody) headers.add(new String[] {"Transfer-Encoding", "chunked"});
      if (upgrade) {
        headers.add(new String[] {"Connection", "Upgrade"});
        headers.add(new String[] {"Upgrade", request.getHeaders().get("Upgrade")});
      } else {
        headers.add(new String[] {"Connection", "close"});
      }
      engine.sendHead(request.getMethod(), target, headers);
      sendBody(request, engine.out(), length, chunkedBody);
      engine.readHead();
      if (engine.status() == 101) {
        tunnel(request, response, callback, engine);
        engine = null; // the tunnel owns it now
        return true;
      }
      relay(request, response, callback, engine);
    } catch (IOException e) {
      log.debug("engine request {} {} failed: {}", request.getMethod(), path, e.toString());
      if (!response.isCommitted()) {
        error(response, callback, 502, "the container engine at " + engineHost + " did not answer: " + e.getMessage());
      } else {
        callback.failed(e);
      }
    } finally {
      if (engine != null) engine.close();
    }
    return true;
  }

  private static void sendBody(Request request, OutputStream out, long length, boolean chunked) throws IOException {
    if (length == 0 || (length < 0 && !chunked)) return;
    byte[] buf = new byte[16384];
    try (InputStream in = Request.asInputStream(request)) {
      for (int r; (r = in.read(buf)) >= 0; ) {
        if (r == 0) continue;
        if (chunked) out.write((Integer.toHexString(r) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(buf, 0, r);
        if (chunked) out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
      }
    }
    if (chunked) out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  private static void relay(Request request, Response response, Callback callback, EngineConnection engine) throws IOException {
    response.setStatus(engine.status());
    for (String[] h : engine.headers()) {
      if (!HOP.contains(h[0].toLowerCase(Locale.ROOT))) response.getHeaders().add(h[0], h[1]);
    }
    String len = engine.header("Content-Length");
    boolean noBody = "HEAD".equals(request.getMethod()) || engine.status() == 204 || engine.status() == 304;
    if (len != null && !engine.chunked()) response.getHeaders().put("Content-Length", len);
    if (noBody) {
      response.write(true, ByteBuffer.allocate(0), callback);
      return;
    }
    OutputStream out = Content.Sink.asOutputStream(response);
    try {
      out.flush(); // commit the head now: a client may wait on it before the body (wait, events)
      if (engine.chunked()) engine.copyChunked(out);
      else if (len != null) engine.copyExactly(out, Long.parseLong(len));
      else engine.copyToEnd(out);
      out.close();
      callback.succeeded();
    } catch (IOException e) {
      callback.failed(e);
    }
  }

  private static void tunnel(Request request, Response response, Callback callback, EngineConnection engine) {
    response.setStatus(101);
    for (String[] h : engine.headers()) {
      String k = h[0].toLowerCase(Locale.ROOT);
      if (!k.equals("content-length") && !k.equals("transfer-encoding")) response.getHeaders().add(h[0], h[1]);
    }
    EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
    var executor = request.getConnectionMetaData().getConnector().getExecutor();
    // Jetty hands the connection to the tunnel once this response is complete
    request.setAttribute(HttpStream.UPGRADE_CONNECTION_ATTRIBUTE, new EngineTunnel(endPoint, executor, engine));
    response.write(true, ByteBuffer.allocate(0), callback);
  }

  /** Lowers {@code /v1.44/...} to the engine's API version when the engine is older. */
  String versioned(String path) {
    Matcher m = VERSIONED.matcher(path);
    if (!m.matches()) return path;
    int[] engineVersion = engineApi();
    int major = Integer.parseInt(m.group(1));
    int minor = Integer.parseInt(m.group(2));
    if (engineVersion != null && (major > engineVersion[0] || (major == engineVersion[0] && minor > engineVersion[1]))) {
      return "/v" + engineVersion[0] + "." + engineVersion[1] + m.group(3);
    }
    return path;
  }

  private int[] engineApi() {
    int[] v = engineApi;
    if (v != null) return v;
    try {
      JsonNode version = getJson("/version");
      String[] parts = version.path("ApiVersion").asText("").split("\\.");
      if (parts.length == 2) {
        v = new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
        engineApi = v;
      }
    } catch (IOException | RuntimeException e) {
      log.debug("engine version: {}", e.toString());
    }
    return v;
  }

  /** {@code GET path} on the engine as JSON (for {@code /info}); throws if it does not answer 200. */
  public JsonNode getJson(String path) throws IOException {
    if (engineHost == null) throw new IOException("no engine");
    try (EngineConnection c = EngineConnection.open(engineHost)) {
      c.sendHead("GET", path, List.of(new String[] {"Host", "docker"}, new String[] {"Connection", "close"}));
      c.readHead();
      byte[] body = c.readAll();
      if (c.status() != 200) throw new IOException("engine answered " + c.status() + " to " + path);
      return Json.lenient().readTree(body);
    }
  }

  private static void error(Response response, Callback callback, int status, String message) {
    byte[] body = Json.bytes(Map.of("message", message));
    response.setStatus(status);
    response.getHeaders().put("Content-Type", "application/json");
    response.getHeaders().put("Content-Length", body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
  }
}
