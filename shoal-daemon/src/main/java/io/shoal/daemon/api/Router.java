package io.shoal.daemon.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.shoal.api.error.ShoalException;
import io.shoal.api.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps Docker API paths, versioned ({@code /v1.44/services}) or not, to handlers, and every
 * failure to Docker's error shape {@code {"message": "..."}} with the status its type says.
 * Paths are matched after the version prefix is stripped; a known path with the wrong method is
 * a 405, an unknown one a 404 with Docker's "page not found".
 */
public final class Router extends Handler.Abstract {
  private static final Logger log = LoggerFactory.getLogger(Router.class);
  /** Paths whose object may be the engine's when the swarm has none of that name (local networks). */
  private static final Pattern ENGINE_ON_MISS = Pattern.compile("^/networks/[^/]+(/(connect|disconnect))?$");
  private static final Pattern VERSION = Pattern.compile("^/v(\\d+\\.\\d+)(/.*)$");

  /** Handles one matched request. */
  @FunctionalInterface
  public interface Route {
    void handle(Exchange ex) throws Exception;
  }

  /**
   * Told when each request's answer is complete (streams: when they end), with the route's
   * template (its regex groups as {@code {id}}, so ids never become label values), for metrics.
   * Called on the thread that completes the answer; must be quick and must not throw.
   */
  @FunctionalInterface
  public interface Observer {
    Observer NONE = (method, route, status, nanos) -> {};

    void completed(String method, String route, int status, long nanos);
  }

  private record Entry(String method, Pattern pattern, Route route, boolean localOnly, String template) {
    Entry(String method, Pattern pattern, Route route, boolean localOnly) {
      this(method, pattern, route, localOnly, Router.template(pattern.pattern()));
    }
  }

  /** A route's regex as a label: {@code ^/services/([^/]+)/update$} becomes {@code /services/{id}/update}. */
  static String template(String regex) {
    StringBuilder out = new StringBuilder();
    int depth = 0;
    for (int i = 0; i < regex.length(); i++) {
      char c = regex.charAt(i);
      if (c == '\\' && i + 1 < regex.length()) {
        if (depth == 0) out.append(regex.charAt(i + 1));
        i++;
      } else if (c == '(') {
        if (depth++ == 0) out.append("{id}");
      } else if (c == ')') {
        depth--;
      } else if (depth == 0 && c != '^' && c != '$' && c != '?') {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** Serves a request no route matches (the engine proxy); answers by itself, always. */
  @FunctionalInterface
  public interface Fallback {
    boolean handle(Request request, Response response, Callback callback);
  }

  private final List<Entry> entries = new ArrayList<>();
  private volatile Observer observer = Observer.NONE;

  /** Reports every request's route, status and duration to {@code o} (metrics). */
  public Router observe(Observer o) {
    this.observer = o == null ? Observer.NONE : o;
    return this;
  }

  private volatile Fallback fallback;

  /** Requests on paths no route serves go to {@code f} instead of a 404 (the node's engine). */
  public Router fallback(Fallback f) {
    this.fallback = f;
    return this;
  }

  public Router on(String method, String regex, Route route) {
    entries.add(new Entry(method, Pattern.compile("^" + regex + "$"), route, false));
    return this;
  }

  /**
   * A route served only to callers on the daemon's unix socket (whose 0660 mode says who is
   * local and trusted); on any TCP listener, loopback or TLS, it answers 403 without running.
   * For what only the machine's administrator may do, such as issuing API client certificates.
   */
  public Router onLocal(String method, String regex, Route route) {
    entries.add(new Entry(method, Pattern.compile("^" + regex + "$"), route, true));
    return this;
  }

  private static boolean onUnixSocket(Request request) {
    return request.getConnectionMetaData().getConnector() instanceof UnixDomainServerConnector;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    Observer o = observer;
    if (o == Observer.NONE) return route(request, response, callback, null);
    long start = System.nanoTime();
    String[] template = {"other"};
    Callback timed = new Callback() {
      @Override
      public void succeeded() {
        report();
        callback.succeeded();
      }

      @Override
      public void failed(Throwable x) {
        report();
        callback.failed(x);
      }

      private void report() {
        try {
          o.completed(request.getMethod(), template[0], response.getStatus(), System.nanoTime() - start);
        } catch (RuntimeException e) {
          log.debug("request observer failed: {}", e.toString());
        }
      }

      @Override
      public InvocationType getInvocationType() {
        return callback.getInvocationType();
      }
    };
    return route(request, response, timed, template);
  }

  private boolean route(Request request, Response response, Callback callback, String[] matched) {
    String path = Request.getPathInContext(request);
    Matcher v = VERSION.matcher(path);
    if (v.matches()) {
      path = v.group(2);
      if (Double.parseDouble(v.group(1)) > Double.parseDouble(SystemInfo.API_VERSION) + 1e-9) {
        error(request, response, callback, 400, "client version " + v.group(1)
            + " is too new. Maximum supported API version is " + SystemInfo.API_VERSION);
        return true;
      }
    }
    if (path.length() > 1 && path.endsWith("/")) path = path.substring(0, path.length() - 1);
    String method = request.getMethod();
    Fallback engine = fallback;
    if (engine != null && method.equals("POST") && path.equals("/networks/create")) {
      byte[] body;
      try (java.io.InputStream in = Request.asInputStream(request)) {
        body = in.readAllBytes();
      } catch (java.io.IOException e) {
        error(request, response, callback, 400, "could not read the request body: " + e.getMessage());
        return true;
      }
      request = LocalNetworks.replay(request, body);
      if (LocalNetworks.isLocalCreate(body)) return engine.handle(request, response, callback);
    }
    boolean pathKnown = false;
    for (Entry e : entries) {
      Matcher m = e.pattern.matcher(path);
      if (!m.matches()) continue;
      pathKnown = true;
      if (!e.method.equals(method) && !(method.equals("HEAD") && e.method.equals("GET"))) continue;
      if (matched != null) matched[0] = e.template;
      if (e.localOnly && !onUnixSocket(request)) {
        error(request, response, callback, 403, method + " " + path
            + " is served only on the daemon's unix socket: run it on the manager itself");
        return true;
      }
      Exchange ex = new Exchange(request, response, callback, m);
      try {
        e.route.handle(ex);
        if (!ex.done()) ex.empty(200);
      } catch (ShoalException se) {
        if (!ex.done() && engine != null && ENGINE_ON_MISS.matcher(path).matches()
            && (se instanceof ShoalException.NotFound || se instanceof ShoalException.NotAManager)) {
          // not a swarm network: the engine's own (bridge, host, a local network) may be meant
          return engine.handle(request, response, callback);
        }
        if (!ex.done()) error(request, response, callback, se.httpStatus(), se.getMessage());
        else ex.fail(se);
      } catch (Exception | Error t) {
        log.warn("{} {} failed", method, path, t);
        if (!ex.done()) error(request, response, callback, 500, String.valueOf(t.getMessage()));
        else ex.fail(t);
      }
      return true;
    }
    if (pathKnown) error(request, response, callback, 405, "method not allowed");
    else if (engine != null) {
      if (matched != null) matched[0] = "engine"; // one label for every proxied path: no unbounded series
      return engine.handle(request, response, callback);
    }
    else error(request, response, callback, 404, "page not found");
    return true;
  }

  static void error(Request request, Response response, Callback callback, int status, String message) {
    byte[] body;
    try {
      body = Json.lenient().writeValueAsBytes(Map.of("message", message == null ? "" : message));
    } catch (JsonProcessingException e) {
      body = "{\"message\":\"internal error\"}".getBytes();
    }
    response.setStatus(status);
    response.getHeaders().put("Content-Type", "application/json");
    response.getHeaders().put("Content-Length", body.length);
    response.write(true, java.nio.ByteBuffer.wrap(body), callback);
  }
}
