package io.shoal.daemon.console;

import io.shoal.api.json.Json;
import io.shoal.daemon.swarm.ManagerRuntime;
import io.shoal.daemon.swarm.NodeRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live cluster console ({@code shoal daemon --ui-addr}): a read-only page, its script and
 * style from the jar (no CDN: these machines have no internet), {@code /api/state} (the current
 * {@link ClusterView} as JSON) and {@code /api/events}, a server-sent event stream that sends the
 * view at once and again after every change the store's watch reports ({@link ConsoleFeed}). No
 * route writes anything.
 *
 * <p>Only managers hold the store: on a worker, or outside a swarm, the view carries an error
 * saying so. The daemon calls {@link #nodeChanged} after init, join, leave and role changes.
 *
 * <p>Threading: each event stream holds one Jetty thread while open (a console has few viewers);
 * nodeChanged is synchronized.
 */
public final class Console implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Console.class);
  /** A comment line this often keeps proxies from closing an idle stream and finds closed pages. */
  static final long KEEPALIVE_MS = 15_000;
  private static final Map<String, String> ASSETS = Map.of(
      "/", "index.html", "/index.html", "index.html", "/console.js", "console.js", "/console.css", "console.css");

  private final Clock clock;
  private final Latest latest = new Latest();
  private ManagerRuntime fed;
  private ConsoleFeed feed;

  public Console(Clock clock) {
    this.clock = clock;
    latest.publish(Json.bytes(ClusterView.unavailable("this node is not in a swarm", clock.instant())));
  }

  /** Feeds the page from the node's manager now, or says why there is nothing to show. */
  public synchronized void nodeChanged(NodeRuntime node) {
    ManagerRuntime m = node == null ? null : node.manager();
    if (m != null && m == fed) return;
    if (feed != null) feed.close();
    feed = null;
    fed = m;
    if (m == null) {
      String why = node == null ? "this node is not in a swarm"
          : "this node is a worker: the console is served by managers (their store holds the cluster)";
      latest.publish(Json.bytes(ClusterView.unavailable(why, clock.instant())));
      return;
    }
    feed = new ConsoleFeed(m.store(), () -> m.leaderId().orElse(null), latest, clock);
  }

  /** The handler to serve (GET only: the console is read-only). */
  public Handler handler() {
    return new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())) {
          send(response, callback, 405, "text/plain; charset=utf-8", "the console is read-only\n".getBytes(StandardCharsets.UTF_8));
        } else if (path.equals("/api/events")) {
          stream(response, callback);
        } else if (path.equals("/api/state")) {
          Latest.Version v = latest.now();
          send(response, callback, 200, "application/json", v.json());
        } else if (ASSETS.containsKey(path)) {
          asset(ASSETS.get(path), response, callback);
        } else {
          send(response, callback, 404, "text/plain; charset=utf-8", "not found\n".getBytes(StandardCharsets.UTF_8));
        }
        return true;
      }
    };
  }

  private static void asset(String name, Response response, Callback callback) throws IOException {
    try (InputStream in = Console.class.getResourceAsStream(name)) {
      if (in == null) {
        send(response, callback, 500, "text/plain; charset=utf-8", ("missing from the jar: " + name + "\n").getBytes(StandardCharsets.UTF_8));
        return;
      }
      String type = name.endsWith(".html") ? "text/html; charset=utf-8"
          : name.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8";
      response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
      response.getHeaders().put("Content-Security-Policy", "default-src 'self'; img-src 'self' data:");
      send(response, callback, 200, type, in.readAllBytes());
    }
  }

  private static void send(Response response, Callback callback, int status, String type, byte[] body) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  /** Server-sent events: the view now, then each newer one, until the page goes away. */
  private void stream(Response response, Callback callback) {
    response.setStatus(200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
    OutputStream out = Content.Sink.asOutputStream(response);
    long seen = 0;
    try {
      out.write("retry: 2000\n\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      while (true) {
        Latest.Version v = latest.awaitNewer(seen, KEEPALIVE_MS);
        if (v == Latest.END) {
          out.close();
          callback.succeeded();
          return;
        } else if (v == null) {
          out.write(": keepalive\n\n".getBytes(StandardCharsets.UTF_8));
        } else {
          seen = v.seq();
          out.write(("event: state\nid: " + v.seq() + "\ndata: ").getBytes(StandardCharsets.UTF_8));
          out.write(v.json()); // JSON has no raw newlines: one data line
          out.write("\n\n".getBytes(StandardCharsets.UTF_8));
        }
        out.flush();
      }
    } catch (IOException e) {
      log.debug("console stream closed: {}", e.toString()); // the page went away
      callback.failed(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      callback.failed(e);
    }
  }

  @Override
  public synchronized void close() {
    latest.close();
    if (feed != null) feed.close();
    feed = null;
    fed = null;
  }
}
