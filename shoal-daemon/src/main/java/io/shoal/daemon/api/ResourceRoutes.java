package io.shoal.daemon.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shoal.api.error.ShoalException;
import io.shoal.api.model.Network;
import io.shoal.api.model.Secret;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code /networks/*}, {@code /secrets/*}, {@code /configs/*} — what {@code docker stack deploy|rm},
 * {@code docker network|secret|config} use — and {@code /distribution/{name}/json}.
 *
 * <p>Networks are stored as their create request and served in Docker's NetworkResource shape,
 * built here at the edge.
 */
final class ResourceRoutes {
  private ResourceRoutes() {}

  static void register(Router r, Backend b) {
    r.on("GET", "/networks", ex -> ex.json(200, b.resources().networks(ex.filters()).stream().map(ResourceRoutes::resource).toList()));
    r.on("POST", "/networks/create", ex -> {
      Network n = b.resources().createNetwork(ex.body(Network.NetworkSpec.class));
      ex.json(201, Map.of("Id", n.id(), "Warning", ""));
    });
    r.on("GET", "/networks/([^/]+)", ex -> {
      String scope = ex.query("scope");
      if (scope != null && !scope.isEmpty() && !scope.equals("swarm")) {
        // Docker answers a scope that does not hold the network with "not found"
        throw new ShoalException.NotFound("network " + ex.path(1) + " not found");
      }
      ex.json(200, resource(b.resources().network(ex.path(1))));
    });
    r.on("DELETE", "/networks/([^/]+)", ex -> {
      b.resources().removeNetwork(ex.path(1));
      ex.empty(204);
    });
    r.on("POST", "/networks/prune", ex -> {
      throw new ShoalException.InvalidSpec("network prune is not supported by Shoal: remove swarm networks with docker network rm");
    });

    r.on("GET", "/secrets", ex -> ex.json(200, b.resources().secrets(ex.filters())));
    r.on("POST", "/secrets/create", ex -> ex.json(201, Map.of("ID", b.resources().createSecret(ex.body(Secret.Spec.class)).id())));
    r.on("GET", "/secrets/([^/]+)", ex -> ex.json(200, b.resources().secret(ex.path(1))));
    r.on("POST", "/secrets/([^/]+)/update", ex -> {
      b.resources().updateSecret(ex.path(1), ex.version(), ex.body(Secret.Spec.class));
      ex.empty(200);
    });
    r.on("DELETE", "/secrets/([^/]+)", ex -> {
      b.resources().removeSecret(ex.path(1));
      ex.empty(204);
    });

    r.on("GET", "/configs", ex -> ex.json(200, b.resources().configs(ex.filters())));
    r.on("POST", "/configs/create", ex -> ex.json(201, Map.of("ID", b.resources().createConfig(ex.body(Secret.Spec.class)).id())));
    r.on("GET", "/configs/([^/]+)", ex -> ex.json(200, b.resources().config(ex.path(1))));
    r.on("POST", "/configs/([^/]+)/update", ex -> {
      b.resources().updateConfig(ex.path(1), ex.version(), ex.body(Secret.Spec.class));
      ex.empty(200);
    });
    r.on("DELETE", "/configs/([^/]+)", ex -> {
      b.resources().removeConfig(ex.path(1));
      ex.empty(204);
    });

    // No registry is reachable from Shoal. A "not found" here makes the docker CLI print its usual
    // "image ... could not be accessed on a registry to record its digest" warning and go on
    // with the image name as given, which is what service create and stack deploy need.
    r.on("GET", "/distribution/(.+)/json", ex -> {
      throw new ShoalException.NotFound("no such image: " + ex.path(1) + ": Shoal has no registry to ask for its digest");
    });
  }

  /** Docker's NetworkResource (moby api/swagger.yaml), as list and inspect return it. */
  record NetworkResource(
      String name,
      String id,
      Instant created,
      String scope,
      String driver,
      @JsonProperty("EnableIPv4") boolean enableIPv4,
      @JsonProperty("EnableIPv6") boolean enableIPv6,
      @JsonProperty("IPAM") JsonNode ipam,
      boolean internal,
      boolean attachable,
      boolean ingress,
      Map<String, String> configFrom,
      boolean configOnly,
      Map<String, Object> containers,
      Map<String, String> options,
      Map<String, String> labels) {}

  static NetworkResource resource(Network n) {
    Network.NetworkSpec s = n.spec();
    return new NetworkResource(s.name(), n.id(), n.createdAt(), "swarm", s.driver(),
        !Boolean.FALSE.equals(s.enableIPv4()), Boolean.TRUE.equals(s.enableIPv6()), ipam(s.ipam()),
        Boolean.TRUE.equals(s.internal()), Boolean.TRUE.equals(s.attachable()), Boolean.TRUE.equals(s.ingress()),
        Map.of("Network", ""), false, Map.of(), s.options(), s.labels());
  }

  /** The requested IPAM with Docker's defaults filled in: driver "default", no options, no configs. */
  private static JsonNode ipam(JsonNode requested) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("Driver", "default");
    out.putNull("Options");
    out.putArray("Config");
    if (requested != null && requested.isObject()) {
      requested.fields().forEachRemaining(e -> {
        String key = canonical(e.getKey());
        if (key.equals("Driver") && e.getValue().asText().isEmpty()) return;
        out.set(key, e.getValue());
      });
    }
    return out;
  }

  private static String canonical(String key) {
    for (String k : List.of("Driver", "Options", "Config")) if (k.equalsIgnoreCase(key)) return k;
    return key;
  }
}
