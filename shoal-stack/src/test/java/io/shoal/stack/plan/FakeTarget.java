package io.shoal.stack.plan;

import io.shoal.api.model.Config;
import io.shoal.api.model.Network;
import io.shoal.api.model.Secret;
import io.shoal.api.model.Service;
import io.shoal.api.model.ServiceSpec;
import io.shoal.api.model.Version;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** An in-memory cluster that records every write, with scripted readiness per service name. */
class FakeTarget implements StackTarget {
  final List<Service> services = new ArrayList<>();
  final List<Network> networks = new ArrayList<>();
  final List<Secret> secrets = new ArrayList<>();
  final List<Config> configs = new ArrayList<>();
  final List<String> log = new ArrayList<>();
  /** Readiness by full service name, as a function of how often it was asked. */
  final Map<String, Function<Integer, Readiness>> readiness = new HashMap<>();
  private final Map<String, Integer> asked = new HashMap<>();
  private int nextId = 1;
  private long index = 1;

  private String id() {
    return "id" + nextId++;
  }

  public ClusterState state(String stack) {
    return new ClusterState(services, networks, secrets, configs);
  }

  public String createNetwork(Network.NetworkSpec spec) {
    log.add("create network " + spec.name());
    Network n = new Network(id(), new Version(index++), Instant.EPOCH, Instant.EPOCH, spec);
    networks.add(n);
    return n.id();
  }

  public String createSecret(Secret.Spec spec) {
    log.add("create secret " + spec.name());
    Secret s = new Secret(id(), new Version(index++), Instant.EPOCH, Instant.EPOCH, spec);
    secrets.add(s);
    return s.id();
  }

  public void updateSecret(String id, Version version, Secret.Spec spec) {
    log.add("update secret " + spec.name());
  }

  public String createConfig(Secret.Spec spec) {
    log.add("create config " + spec.name());
    Config c = new Config(id(), new Version(index++), Instant.EPOCH, Instant.EPOCH, spec);
    configs.add(c);
    return c.id();
  }

  public void updateConfig(String id, Version version, Secret.Spec spec) {
    log.add("update config " + spec.name());
  }

  public String createService(ServiceSpec spec) {
    log.add("create service " + spec.name());
    Service s = new Service(id(), new Version(index++), Instant.EPOCH, Instant.EPOCH, spec, null, null, null, null, null);
    services.add(s);
    return s.id();
  }

  public void updateService(String id, Version version, ServiceSpec spec) {
    log.add("update service " + spec.name() + " at version " + version.index());
    services.replaceAll(s -> s.id().equals(id)
        ? new Service(id, new Version(index++), s.createdAt(), s.updatedAt(), spec, s.spec(), null, null, null, null) : s);
  }

  public void removeService(String id) {
    log.add("remove service " + id);
    services.removeIf(s -> s.id().equals(id));
  }

  public void removeNetwork(String id) {
    log.add("remove network " + id);
  }

  public void removeSecret(String id) {
    log.add("remove secret " + id);
  }

  public void removeConfig(String id) {
    log.add("remove config " + id);
  }

  public Readiness readiness(String serviceId) {
    String name = services.stream().filter(s -> s.id().equals(serviceId)).findFirst().orElseThrow().spec().name();
    int n = asked.merge(name, 1, Integer::sum);
    log.add("readiness " + name + " #" + n);
    return readiness.getOrDefault(name, k -> new Readiness(1, 1, 0, 0)).apply(n);
  }
}
