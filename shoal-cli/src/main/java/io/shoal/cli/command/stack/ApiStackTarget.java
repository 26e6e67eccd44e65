package io.shoal.cli.command.stack;

import com.fasterxml.jackson.databind.JsonNode;
import io.shoal.api.model.Config;
import io.shoal.api.model.Network;
import io.shoal.api.model.Secret;
import io.shoal.api.model.Service;
import io.shoal.api.model.ServiceMode;
import io.shoal.api.model.ServiceSpec;
import io.shoal.api.model.Task;
import io.shoal.api.model.TaskState;
import io.shoal.api.model.Version;
import io.shoal.cli.client.ApiClient;
import io.shoal.cli.client.Filters;
import io.shoal.stack.convert.StackConverter;
import io.shoal.stack.plan.ClusterState;
import io.shoal.stack.plan.StackTarget;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@link StackTarget} over the Docker Engine API, as {@code docker stack} talks to a manager.
 *
 * <p>{@link #state} lists the stack's services by the namespace label, and every network, secret
 * and config: the planner looks those up by name, so external ones (not labelled) must be in the
 * state too. Networks come back in Docker's NetworkResource shape and are turned into the
 * {@link Network} record the planner reads. Service create warnings go to {@code warnings}.
 * Called from one thread (the command's).
 */
public final class ApiStackTarget implements StackTarget {
  private final ApiClient api;
  private final Consumer<String> warnings;

  public ApiStackTarget(ApiClient api, Consumer<String> warnings) {
    this.api = api;
    this.warnings = warnings;
  }

  /** The label filter that scopes every list to one stack. */
  public static Filters stackFilter(String stack) {
    return Filters.of("label", StackConverter.NAMESPACE_LABEL + "=" + stack);
  }

  @Override
  public ClusterState state(String stack) {
    List<Service> services = api.services(stackFilter(stack), false);
    List<Network> networks = new ArrayList<>();
    for (JsonNode n : ApiClient.elements(api.networksRaw(null))) networks.add(network(n));
    List<Secret> secrets = ApiClient.convertList(api.secretsRaw(null), Secret.class);
    List<Config> configs = ApiClient.convertList(api.configsRaw(null), Config.class);
    return new ClusterState(services, networks, secrets, configs);
  }

  /** Docker's NetworkResource → the record the planner compares by name, scope and labels. */
  static Network network(JsonNode n) {
    Map<String, String> labels = ApiClient.convert(n.path("Labels"), Map.class);
    Map<String, String> options = ApiClient.convert(n.path("Options"), Map.class);
    Instant created = n.hasNonNull("Created") ? Instant.parse(n.get("Created").asText()) : null;
    Network.NetworkSpec spec = new Network.NetworkSpec(n.path("Name").asText(), n.path("Driver").asText(null),
        n.path("Scope").asText(null), n.path("Internal").asBoolean(), n.path("Attachable").asBoolean(),
        n.path("Ingress").asBoolean(), n.get("IPAM"), n.path("EnableIPv6").asBoolean(), options, labels);
    return new Network(n.path("Id").asText(), null, created, null, spec);
  }

  @Override
  public String createNetwork(Network.NetworkSpec spec) {
    return api.createNetwork(spec);
  }

  @Override
  public String createSecret(Secret.Spec spec) {
    return api.createSecret(spec);
  }

  @Override
  public void updateSecret(String id, Version version, Secret.Spec spec) {
    api.updateSecret(id, version.index(), spec);
  }

  @Override
  public String createConfig(Secret.Spec spec) {
    return api.createConfig(spec);
  }

  @Override
  public void updateConfig(String id, Version version, Secret.Spec spec) {
    api.updateConfig(id, version.index(), spec);
  }

  @Override
  public String createService(ServiceSpec spec) {
    JsonNode r = api.createService(spec);
    r.path("Warnings").forEach(w -> warnings.accept(w.asText()));
    return r.path("ID").asText();
  }

  @Override
  public void updateService(String id, Version version, ServiceSpec spec) {
    JsonNode r = api.updateService(id, version.index(), spec);
    if (r != null) r.path("Warnings").forEach(w -> warnings.accept(w.asText()));
  }

  @Override
  public void removeService(String id) {
    api.removeService(id);
  }

  @Override
  public void removeNetwork(String id) {
    api.removeNetwork(id);
  }

  @Override
  public void removeSecret(String id) {
    api.removeSecret(id);
  }

  @Override
  public void removeConfig(String id) {
    api.removeConfig(id);
  }

  /**
   * Counted from the service's tasks. {@code desired} is the spec's replica count (a job's total
   * completions); for global services, the nodes that have a task meant to run (at least 1, so a
   * global service not yet scheduled anywhere is not "ready" with 0 of 0).
   */
  @Override
  public Readiness readiness(String serviceId) {
    Service s = api.service(serviceId);
    List<Task> tasks = api.tasks(Filters.of("service", serviceId));
    long running = tasks.stream().filter(t -> t.state() == TaskState.RUNNING).count();
    long completed = tasks.stream().filter(t -> t.state() == TaskState.COMPLETE).count();
    long failed = tasks.stream().filter(t -> t.state() == TaskState.FAILED || t.state() == TaskState.REJECTED).count();
    return new Readiness(desired(s, tasks), running, completed, failed);
  }

  static long desired(Service s, List<Task> tasks) {
    ServiceMode m = s.spec().modeOrDefault();
    if (m.replicated() != null) return m.replicaCount();
    if (m.replicatedJob() != null) return m.replicatedJob().totalCompletionsOrDefault();
    Set<String> nodes = new HashSet<>();
    for (Task t : tasks) {
      if (t.nodeID() != null && t.desiredState() != null && t.desiredState().compareTo(TaskState.COMPLETE) <= 0) {
        nodes.add(t.nodeID());
      }
    }
    return Math.max(1, nodes.size());
  }
}
