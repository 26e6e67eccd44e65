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
  private static final Pattern VERSION = Pattern.compile("^/v(\\d+\\.\\d+)(/.*)$");

  /** Handles one matched request. */
  @FunctionalInterface
  public interface Route {
    void handle(Exchange ex) throws Exception;
  }

  private record Entry(String method, Pattern pattern, Route route, boolean localOnly) {}

  private final List<Entry> entries = new ArrayList<>();

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
    boolean pathKnown = false;
    for (Entry e : entries) {
      Matcher m = e.pattern.matcher(path);
      if (!m.matches()) continue;
      pathKnown = true;
      if (!e.method.equals(method) && !(method.equals("HEAD") && e.method.equals("GET"))) continue;
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
