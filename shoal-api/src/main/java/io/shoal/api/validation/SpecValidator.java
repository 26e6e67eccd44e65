package io.shoal.api.validation;

import io.shoal.api.error.ShoalException;
import io.shoal.api.model.ContainerSpec;
import io.shoal.api.model.HealthConfig;
import io.shoal.api.model.Mount;
import io.shoal.api.model.PortConfig;
import io.shoal.api.model.Resources;
import io.shoal.api.model.RestartPolicy;
import io.shoal.api.model.ServiceMode;
import io.shoal.api.model.ServiceSpec;
import io.shoal.api.model.TaskSpec;
import io.shoal.api.model.UpdateConfig;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules a service spec must follow before it may be stored. Pure and stateless; checks that
 * need the store (name taken, port used by another service, network exists) are the control API's.
 * Every failure is an {@link ShoalException.InvalidSpec} whose message names the field.
 */
public final class SpecValidator {
  /** A DNS label: services are reachable by name, so their names must be valid host names. */
  private static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9](?:[-_]*[A-Za-z0-9]+)*$");
  private static final Set<String> MOUNT_TYPES = Set.of("bind", "volume", "tmpfs", "npipe", "cluster", "image");

  /**
   * The most tasks one service may ask for: replicas, a job's concurrent tasks or its completions.
   * Every desired task is a record in every manager's memory and raft log, and the orchestrator
   * builds a service's missing tasks in one round: an unbounded count ({@code "Replicas":
   * 9223372036854775807}) made it allocate until the manager ran out of memory. 100,000 is the
   * largest cluster Shoal has been measured with (5,000 nodes, 100,000 tasks, docs/BENCHMARKS.md),
   * so one service may fill such a cluster and no single request can ask for more.
   */
  public static final long MAX_TASKS_PER_SERVICE = 100_000;

  private SpecValidator() {}

  public static void validateService(ServiceSpec spec) {
    if (spec == null) throw invalid("service spec must be provided");
    validateName(spec.name());
    validateMode(spec.mode());
    validateTask(spec.taskTemplate());
    validateUpdate("UpdateConfig", spec.updateConfig());
    validateUpdate("RollbackConfig", spec.rollbackConfig());
    validatePorts(spec);
    if (spec.taskTemplate() != null) {
      try {
        io.shoal.api.template.ServiceTemplates.validate(spec.taskTemplate().containerSpec());
      } catch (io.shoal.api.template.TemplateException e) {
        throw invalid(e.getMessage());
      }
    }
  }

  public static void validateName(String name) {
    if (name == null || name.isEmpty()) throw invalid("name must be provided");
    if (name.length() > 63 || !NAME.matcher(name).matches()) {
      throw invalid("name must be valid as a DNS name component: \"" + name + "\"");
    }
  }

  private static void validateMode(ServiceMode mode) {
    if (mode == null) return;
    if (mode.modesSet() > 1) throw invalid("Mode: only one of Replicated, Global, ReplicatedJob, GlobalJob may be set");
    if (mode.replicated() != null && mode.replicated().replicas() != null) {
      long n = mode.replicated().replicas();
      if (n < 0) throw invalid("Mode.Replicated.Replicas: must be 0 or more, got " + n);
      atMostPerService("Mode.Replicated.Replicas", n);
    }
    if (mode.replicatedJob() != null) {
      ServiceMode.ReplicatedJob j = mode.replicatedJob();
      if (j.maxConcurrent() != null && j.maxConcurrent() < 0) throw invalid("Mode.ReplicatedJob.MaxConcurrent: must be 0 or more");
      if (j.totalCompletions() != null && j.totalCompletions() < 0) throw invalid("Mode.ReplicatedJob.TotalCompletions: must be 0 or more");
      if (j.maxConcurrent() != null) atMostPerService("Mode.ReplicatedJob.MaxConcurrent", j.maxConcurrent());
      if (j.totalCompletions() != null) atMostPerService("Mode.ReplicatedJob.TotalCompletions", j.totalCompletions());
    }
  }

  private static void atMostPerService(String field, long n) {
    if (n > MAX_TASKS_PER_SERVICE) {
      throw invalid(field + ": " + n + " is more than Shoal allows for one service (" + MAX_TASKS_PER_SERVICE + ")");
    }
  }

  private static void validateTask(TaskSpec t) {
    if (t == null) throw invalid("TaskTemplate: must be provided");
    if (t.pluginSpec() != null && !t.pluginSpec().isNull()) throw invalid("TaskTemplate.PluginSpec: plugin services are not supported");
    ContainerSpec c = t.containerSpec();
    if (c == null) throw invalid("TaskTemplate: ContainerSpec must be provided");
    if (c.image() == null || c.image().isBlank()) throw invalid("ContainerSpec: image reference must be provided");
    if (c.stopGracePeriod() != null && c.stopGracePeriod() < 0) throw invalid("ContainerSpec.StopGracePeriod: must not be negative");
    if (c.mounts() != null) for (Mount m : c.mounts()) validateMount(m);
    HealthConfig h = c.healthCheck();
    if (h != null) {
      nonNegative("HealthCheck.Interval", h.interval());
      nonNegative("HealthCheck.Timeout", h.timeout());
      nonNegative("HealthCheck.StartPeriod", h.startPeriod());
      if (h.retries() != null && h.retries() < 0) throw invalid("HealthCheck.Retries: must not be negative");
    }
    RestartPolicy r = t.restartPolicy();
    if (r != null) {
      String cond = r.conditionOrDefault();
      if (!Set.of(RestartPolicy.NONE, RestartPolicy.ON_FAILURE, RestartPolicy.ANY).contains(cond)) {
        throw invalid("RestartPolicy.Condition: invalid value \"" + cond + "\" (none, on-failure or any)");
      }
      nonNegative("RestartPolicy.Delay", r.delay());
      nonNegative("RestartPolicy.Window", r.window());
      if (r.maxAttempts() != null && r.maxAttempts() < 0) throw invalid("RestartPolicy.MaxAttempts: must not be negative");
    }
    Resources res = t.resources();
    if (res != null) {
      limits("Resources.Limits", res.limits());
      limits("Resources.Reservations", res.reservations());
    }
    if (t.placement() != null) {
      Constraint.parseAll(t.placement().constraints());
      if (t.placement().maxReplicas() != null && t.placement().maxReplicas() < 0) throw invalid("Placement.MaxReplicas: must not be negative");
      if (t.placement().preferences() != null) {
        for (var p : t.placement().preferences()) {
          if (p.spread() == null || p.spread().spreadDescriptor() == null || p.spread().spreadDescriptor().isBlank()) {
            throw invalid("Placement.Preferences: only Spread with a SpreadDescriptor is supported");
          }
        }
      }
    }
  }

  private static void validateMount(Mount m) {
    if (m.target() == null || m.target().isEmpty()) throw invalid("Mounts: Target must be provided");
    String type = m.type() == null ? "volume" : m.type();
    if (!MOUNT_TYPES.contains(type)) throw invalid("Mounts: invalid mount type \"" + type + "\"");
    if (type.equals("bind") && (m.source() == null || !m.source().startsWith("/"))) {
      throw invalid("Mounts: invalid bind mount source, source must be an absolute path: \"" + m.source() + "\"");
    }
    if (type.equals("tmpfs") && m.source() != null && !m.source().isEmpty()) {
      throw invalid("Mounts: tmpfs mounts must not have a Source");
    }
  }

  private static void validateUpdate(String field, UpdateConfig u) {
    if (u == null) return;
    if (u.parallelism() != null && u.parallelism() < 0) throw invalid(field + ".Parallelism: must not be negative");
    nonNegative(field + ".Delay", u.delay());
    nonNegative(field + ".Monitor", u.monitor());
    String fa = u.failureAction();
    if (fa != null && !fa.isEmpty() && !Set.of(UpdateConfig.PAUSE, UpdateConfig.CONTINUE, UpdateConfig.ROLLBACK).contains(fa)) {
      throw invalid(field + ".FailureAction: invalid value \"" + fa + "\" (pause, continue or rollback)");
    }
    String o = u.order();
    if (o != null && !o.isEmpty() && !Set.of(UpdateConfig.STOP_FIRST, UpdateConfig.START_FIRST).contains(o)) {
      throw invalid(field + ".Order: invalid value \"" + o + "\" (stop-first or start-first)");
    }
    if (u.maxFailureRatio() != null && (u.maxFailureRatio() < 0 || u.maxFailureRatio() > 1)) {
      throw invalid(field + ".MaxFailureRatio: must be between 0 and 1");
    }
  }

  private static void validatePorts(ServiceSpec spec) {
    Set<String> seen = new HashSet<>();
    for (PortConfig p : spec.portsOrEmpty()) {
      if (p.targetPort() == null || p.targetPort() < 1 || p.targetPort() > 65535) {
        throw invalid("EndpointSpec.Ports: TargetPort must be between 1 and 65535, got " + p.targetPort());
      }
      if (p.publishedPort() != null && (p.publishedPort() < 0 || p.publishedPort() > 65535)) {
        throw invalid("EndpointSpec.Ports: PublishedPort must be between 0 and 65535, got " + p.publishedPort());
      }
      String proto = p.protocolOrDefault();
      if (!Set.of("tcp", "udp", "sctp").contains(proto)) throw invalid("EndpointSpec.Ports: invalid protocol \"" + proto + "\"");
      String mode = p.publishModeOrDefault();
      if (!Set.of(PortConfig.INGRESS, PortConfig.HOST).contains(mode)) throw invalid("EndpointSpec.Ports: invalid PublishMode \"" + mode + "\"");
      if (p.published() != 0 && !seen.add(p.published() + "/" + proto)) {
        throw invalid("EndpointSpec: duplicate published ports provided: " + p.published() + "/" + proto);
      }
    }
    if (spec.endpointSpec() != null && spec.endpointSpec().mode() != null) {
      String m = spec.endpointSpec().mode();
      if (!m.isEmpty() && !m.equals("vip") && !m.equals("dnsrr")) throw invalid("EndpointSpec.Mode: invalid value \"" + m + "\" (vip or dnsrr)");
      if (m.equals("dnsrr") && spec.portsOrEmpty().stream().anyMatch(p -> p.publishModeOrDefault().equals(PortConfig.INGRESS))) {
        throw invalid("EndpointSpec: port published with ingress mode can't be used with dnsrr mode");
      }
    }
  }

  private static void limits(String field, Resources.Limits l) {
    if (l == null) return;
    if (l.nanoCPUs() != null && l.nanoCPUs() < 0) throw invalid(field + ".NanoCPUs: must not be negative");
    if (l.memoryBytes() != null && l.memoryBytes() < 0) throw invalid(field + ".MemoryBytes: must not be negative");
    if (l.memoryBytes() != null && l.memoryBytes() > 0 && l.memoryBytes() < 4 * 1024 * 1024 && field.endsWith("Limits")) {
      throw invalid(field + ".MemoryBytes: minimum memory limit is 4MiB");
    }
  }

  private static void nonNegative(String field, Long v) {
    if (v != null && v < 0) throw invalid(field + ": must not be negative");
  }

  private static ShoalException.InvalidSpec invalid(String msg) {
    return new ShoalException.InvalidSpec(msg);
  }
}
