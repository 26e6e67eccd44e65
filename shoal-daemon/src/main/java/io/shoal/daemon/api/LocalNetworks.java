package io.shoal.daemon.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.shoal.api.error.ShoalException;
import io.shoal.api.json.Json;
import io.shoal.daemon.engine.EngineProxy;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * Where {@code /networks} requests go on a node with an engine: swarm networks are Shoal's, local
 * ones (bridge, host, macvlan, ipvlan, none, or {@code Scope: local}) the engine's, as dockerd in
 * swarm mode keeps both side by side. {@code docker network ls} lists both.
 */
final class LocalNetworks {
  private static final Set<String> LOCAL_DRIVERS = Set.of("bridge", "host", "macvlan", "ipvlan", "null", "none");

  private LocalNetworks() {}

  /** True when a network create body asks for an engine (local-scope) network. */
  static boolean isLocalCreate(byte[] body) {
    try {
      JsonNode n = Json.lenient().readTree(body);
      if (n == null || !n.isObject()) return false;
      String driver = text(n, "Driver");
      String scope = text(n, "Scope");
      return LOCAL_DRIVERS.contains(driver) || scope.equals("local");
    } catch (IOException e) {
      return false; // malformed: the swarm route says what is wrong
    }
  }

  private static String text(JsonNode n, String field) {
    for (var it = n.fields(); it.hasNext(); ) {
      var e = it.next();
      if (e.getKey().equalsIgnoreCase(field)) return e.getValue().asText("");
    }
    return "";
  }

  /** The swarm networks (if this node is a manager) and the engine's local ones. */
  static List<Object> list(Exchange ex, EngineProxy engine, Supplier<List<?>> swarm) {
    List<Object> out = new ArrayList<>();
    boolean manager = true;
    try {
      out.addAll(swarm.get());
    } catch (ShoalException.NotAManager e) {
      manager = false;
      if (!engine.available()) throw e;
    }
    if (!engine.available()) return out;
    try {
      String filters = ex.query("filters");
      String q = filters == null || filters.isEmpty() ? "" : "?filters=" + URLEncoder.encode(filters, StandardCharsets.UTF_8);
      for (JsonNode n : engine.getJson("/networks" + q)) {
        if (!manager || !"swarm".equals(n.path("Scope").asText())) out.add(n);
      }
    } catch (IOException e) {
      if (!manager) throw new ShoalException.Unavailable("the container engine did not answer: " + e.getMessage());
    }
    return out;
  }

  /** {@code request} with its body already read as {@code body}, for a second reader. */
  static Request replay(Request request, byte[] body) {
    return new Request.Wrapper(request) {
      private boolean sent;

      @Override
      public Content.Chunk read() {
        if (sent) return Content.Chunk.EOF;
        sent = true;
        return Content.Chunk.from(ByteBuffer.wrap(body), true);
      }

      @Override
      public void demand(Runnable demandCallback) {
        demandCallback.run();
      }
    };
  }
}
