package io.shoal.stack.plan;

import io.shoal.api.model.Config;
import io.shoal.api.model.Network;
import io.shoal.api.model.Secret;
import io.shoal.api.model.Service;
import java.util.List;
import java.util.Optional;

/**
 * What exists now: the stack's own objects (they carry the namespace label) and any others the
 * stack refers to as external. Listing more is harmless; the planner looks objects up by name and
 * decides ownership by the {@code com.docker.stack.namespace} label.
 */
public record ClusterState(List<Service> services, List<Network> networks, List<Secret> secrets, List<Config> configs) {
  public static final ClusterState EMPTY = new ClusterState(List.of(), List.of(), List.of(), List.of());

  public ClusterState {
    services = List.copyOf(services);
    networks = List.copyOf(networks);
    secrets = List.copyOf(secrets);
    configs = List.copyOf(configs);
  }

  public Optional<Service> service(String name) {
    return services.stream().filter(s -> s.spec() != null && name.equals(s.spec().name())).findFirst();
  }

  public Optional<Network> network(String name) {
    return networks.stream().filter(n -> n.spec() != null && name.equals(n.spec().name())).findFirst();
  }

  public Optional<Secret> secret(String name) {
    return secrets.stream().filter(n -> n.spec() != null && name.equals(n.spec().name())).findFirst();
  }

  public Optional<Config> config(String name) {
    return configs.stream().filter(n -> n.spec() != null && name.equals(n.spec().name())).findFirst();
  }
}
