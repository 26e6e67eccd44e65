package io.shoal.stack.load;

import com.fasterxml.jackson.databind.JsonNode;
import io.shoal.stack.StackException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The service keys Swarm does not use, reported the way {@code docker stack deploy} prints them,
 * and the keys docker refuses outright. Swarm-mode keys Shoal honours that docker ignores
 * ({@code depends_on}) are not reported.
 */
final class Warnings {
  // Keys of a service that a swarm service has no field for (docker/cli's list, current version).
  static final List<String> UNSUPPORTED = List.of(
      "build", "cgroup_parent", "cgroupns_mode", "devices", "domainname", "external_links", "ipc",
      "links", "mac_address", "network_mode", "pid", "privileged", "restart", "security_opt",
      "shm_size", "userns_mode");
  static final Map<String, String> DEPRECATED = Map.of(
      "container_name", "Setting the container name is not supported.",
      "expose", "Exposing ports is unnecessary - services on the same network can access each other's containers on any port.");
  static final Map<String, String> FORBIDDEN = Map.of(
      "extends", "Support for `extends` is not implemented yet.",
      "volume_driver", "Instead of setting the volume driver on the service, define a volume using the top-level `volumes` option and specify the driver there.",
      "volumes_from", "To share a volume between services, define it using the top-level `volumes` option and reference it from each service that shares it using the service-level `volumes` option.",
      "cpu_quota", "Set resource limits using deploy.resources",
      "cpu_shares", "Set resource limits using deploy.resources",
      "cpuset", "Set resource limits using deploy.resources",
      "mem_limit", "Set resource limits using deploy.resources",
      "memswap_limit", "Set resource limits using deploy.resources");

  private final TreeSet<String> unsupported = new TreeSet<>();
  private final TreeMap<String, String> deprecated = new TreeMap<>();

  /** Refuses keys docker refuses, naming the file, service and key. */
  static void checkForbidden(String fileName, JsonNode root) {
    JsonNode services = root.path("services");
    List<String> found = new ArrayList<>();
    services.fields().forEachRemaining(e -> FORBIDDEN.forEach((k, why) -> {
      if (e.getValue().has(k)) found.add("services." + e.getKey() + "." + k + ": " + why);
    }));
    if (!found.isEmpty()) {
      throw new StackException.InvalidCompose(fileName + ": configuration contains forbidden properties:\n"
          + String.join("\n", new TreeSet<>(found)));
    }
  }

  void collect(JsonNode root) {
    root.path("services").fields().forEachRemaining(e -> {
      for (String k : UNSUPPORTED) if (e.getValue().has(k)) unsupported.add(k);
      DEPRECATED.forEach((k, why) -> {
        if (e.getValue().has(k)) deprecated.put(k, why);
      });
    });
  }

  List<String> lines() {
    List<String> out = new ArrayList<>();
    if (!unsupported.isEmpty()) out.add("Ignoring unsupported options: " + String.join(", ", unsupported));
    if (!deprecated.isEmpty()) {
      List<String> msgs = new ArrayList<>();
      deprecated.forEach((k, why) -> msgs.add(k + ": " + why));
      out.add("Ignoring deprecated options:\n\n" + String.join("\n\n", msgs));
    }
    return out;
  }
}
