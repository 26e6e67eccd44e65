package io.shoal.daemon.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shoal.api.error.ShoalException;
import io.shoal.api.model.Network;
import io.shoal.api.model.NetworkAllocation;
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
    r.on("GET", "/networks", ex -> ex.json(200, LocalNetworks.list(ex, b.engine(),
        () -> b.resources().networks(ex.filters()).stream().map(ResourceRoutes::resource).toList())));
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
    Map<String, String> options = new java.util.TreeMap<>(s.options());
    if (n.allocation() != null) {
      // as Docker's overlay driver reports it
      options.put("com.docker.network.driver.overlay.vxlanid_list", String.valueOf(n.allocation().vni()));
    }
    return new NetworkResource(s.name(), n.id(), n.createdAt(), "swarm", s.driver(),
        !Boolean.FALSE.equals(s.enableIPv4()), Boolean.TRUE.equals(s.enableIPv6()), ipam(s.ipam(), n.allocation()),
        Boolean.TRUE.equals(s.internal()), Boolean.TRUE.equals(s.attachable()), Boolean.TRUE.equals(s.ingress()),
        Map.of("Network", ""), false, Map.of(), options, s.labels());
  }

  /**
   * The IPAM section: driver "default", the requested options, and the configs as allocated
   * (subnet and gateway, and the range when one was asked for), or as requested before that.
   */
  static JsonNode ipam(JsonNode requested, NetworkAllocation a) {
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
    if (a != null) {
      ArrayNode configs = out.putArray("Config");
      ObjectNode c = configs.addObject();
      c.put("Subnet", a.subnet());
      if (a.ipRange() != null) c.put("IPRange", a.ipRange());
      c.put("Gateway", a.gateway());
    }
    return out;
  }

  /**
   * A network as SwarmKit's API embeds it (a task's {@code NetworksAttachments[].Network}):
   * ID, Version, times, Spec with DriverConfiguration and IPAMOptions, DriverState, IPAMOptions.
   */
  static JsonNode swarmNetwork(Network n) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("ID", n.id());
    o.putObject("Version").put("Index", n.version() == null ? 0 : n.version().index());
    if (n.createdAt() != null) o.put("CreatedAt", n.createdAt().toString());
    if (n.updatedAt() != null) o.put("UpdatedAt", n.updatedAt().toString());
    Network.NetworkSpec s = n.spec();
    ObjectNode spec = o.putObject("Spec");
    spec.put("Name", s.name());
    ObjectNode labels = spec.putObject("Labels");
    s.labels().forEach(labels::put);
    spec.putObject("DriverConfiguration").put("Name", s.driver());
    if (Boolean.TRUE.equals(s.internal())) spec.put("Internal", true);
    if (Boolean.TRUE.equals(s.attachable())) spec.put("Attachable", true);
    if (Boolean.TRUE.equals(s.ingress())) spec.put("Ingress", true);
    spec.put("Scope", "swarm");
    ObjectNode ipamOptions = JsonNodeFactory.instance.objectNode();
    ipamOptions.putObject("Driver").put("Name", "default");
    if (n.allocation() != null) {
      ObjectNode c = ipamOptions.putArray("Configs").addObject();
      c.put("Subnet", n.allocation().subnet());
      if (n.allocation().ipRange() != null) c.put("Range", n.allocation().ipRange());
      c.put("Gateway", n.allocation().gateway());
    }
    spec.set("IPAMOptions", ipamOptions.deepCopy());
    ObjectNode state = o.putObject("DriverState");
    state.put("Name", s.driver());
    if (n.allocation() != null) {
      state.putObject("Options").put("com.docker.network.driver.overlay.vxlanid_list", String.valueOf(n.allocation().vni()));
    }
    o.set("IPAMOptions", ipamOptions);
    return o;
  }

  private static String canonical(String key) {
    for (String k : List.of("Driver", "Options", "Config")) if (k.equalsIgnoreCase(key)) return k;
    return key;
  }
}
