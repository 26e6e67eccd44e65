package io.shoal.stack.plan;

import io.shoal.api.model.ConfigReference;
import io.shoal.api.model.ContainerSpec;
import io.shoal.api.model.SecretReference;
import io.shoal.api.model.ServiceSpec;
import io.shoal.stack.StackException;
import io.shoal.stack.convert.Dependency;
import io.shoal.stack.convert.StackService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Carries out a {@link StackPlan} against a {@link StackTarget}, step by step in plan order.
 * Before a service is created or updated, each service it {@code depends_on} must meet its
 * condition: {@code service_started} one task running (or done), {@code service_healthy} all
 * desired tasks running (Swarm runs a task only once healthy), {@code service_completed_successfully}
 * all desired completions done. Waiting polls {@link StackTarget#readiness} every
 * {@code pollInterval} until {@code timeout} on the injected clock, then fails naming the service.
 *
 * <p>Secret and config references get their ids here, from the objects the plan created or found.
 * Not thread-safe; one executor per deploy.
 */
public final class StackExecutor {
  private final StackTarget target;
  private final Clock clock;
  private final Pauser pauser;
  private final Duration timeout;
  private final Duration pollInterval;
  private final Consumer<String> progress;

  public StackExecutor(StackTarget target, Clock clock, Pauser pauser, Duration timeout, Duration pollInterval,
      Consumer<String> progress) {
    this.target = target;
    this.clock = clock;
    this.pauser = pauser;
    this.timeout = timeout;
    this.pollInterval = pollInterval;
    this.progress = progress;
  }

  /** Runs the plan; returns service ids by full name (created, updated and unchanged ones). */
  public Map<String, String> execute(StackPlan plan) {
    ClusterState before = target.state(plan.stack());
    Map<String, String> secretIds = new HashMap<>();
    Map<String, String> configIds = new HashMap<>();
    Map<String, String> serviceIds = new HashMap<>();
    before.secrets().forEach(s -> secretIds.put(s.spec().name(), s.id()));
    before.configs().forEach(s -> configIds.put(s.spec().name(), s.id()));
    before.services().forEach(s -> serviceIds.put(s.spec().name(), s.id()));
    Map<String, String> fullNames = new HashMap<>();
    plan.services().forEach(s -> fullNames.put(s.composeName(), s.spec().name()));

    for (Step step : plan.steps()) {
      try {
        // wait first, so "Creating service web" is printed when web is really being created
        if (step instanceof Step.CreateService s) awaitDependencies(s.service(), fullNames, serviceIds);
        if (step instanceof Step.UpdateService s) awaitDependencies(s.service(), fullNames, serviceIds);
        progress.accept(step.describe());
        run(step, fullNames, secretIds, configIds, serviceIds);
      } catch (StackException e) {
        throw e;
      } catch (RuntimeException e) {
        throw new StackException.DeployFailed(step.describe() + ": " + e.getMessage(), e);
      }
    }
    return serviceIds;
  }

  // Java 17 has no pattern switch; the sealed Step keeps this chain complete by review.
  private void run(Step step, Map<String, String> fullNames, Map<String, String> secretIds,
      Map<String, String> configIds, Map<String, String> serviceIds) {
    if (step instanceof Step.CreateNetwork s) {
      target.createNetwork(s.spec());
    } else if (step instanceof Step.CreateSecret s) {
      secretIds.put(s.spec().name(), target.createSecret(s.spec()));
    } else if (step instanceof Step.UpdateSecret s) {
      target.updateSecret(s.current().id(), s.current().version(), s.spec());
    } else if (step instanceof Step.CreateConfig s) {
      configIds.put(s.spec().name(), target.createConfig(s.spec()));
    } else if (step instanceof Step.UpdateConfig s) {
      target.updateConfig(s.current().id(), s.current().version(), s.spec());
    } else if (step instanceof Step.CreateService s) {
      serviceIds.put(s.service().spec().name(),
          target.createService(withIds(s.service().spec(), secretIds, configIds)));
    } else if (step instanceof Step.UpdateService s) {
      target.updateService(s.current().id(), s.current().version(),
          withIds(s.service().spec(), secretIds, configIds));
    } else if (step instanceof Step.RemoveService s) {
      target.removeService(s.current().id());
    } else if (step instanceof Step.RemoveNetwork s) {
      target.removeNetwork(s.current().id());
    } else if (step instanceof Step.RemoveSecret s) {
      target.removeSecret(s.current().id());
    } else if (step instanceof Step.RemoveConfig s) {
      target.removeConfig(s.current().id());
    } else {
      throw new IllegalStateException("unknown step " + step);
    }
  }

  private void awaitDependencies(StackService s, Map<String, String> fullNames, Map<String, String> ids) {
    for (Dependency d : s.dependsOn()) {
      String name = fullNames.getOrDefault(d.service(), d.service());
      String id = ids.get(name);
      if (id == null) {
        throw new StackException.DeployFailed("service " + s.composeName() + " depends on " + d.service()
            + ", which does not exist");
      }
      progress.accept("Waiting for " + name + " (" + d.condition().wire() + ")");
      await(s.composeName(), name, id, d.condition());
    }
  }

  private void await(String waiter, String name, String id, Dependency.Condition condition) {
    Instant deadline = clock.instant().plus(timeout);
    StackTarget.Readiness last = null;
    while (true) {
      last = target.readiness(id);
      if (met(condition, last)) return;
      if (condition == Dependency.Condition.SERVICE_COMPLETED_SUCCESSFULLY && last.failed() > 0
          && last.running() == 0 && last.completed() < Math.max(1, last.desired())) {
        throw new StackException.DeployFailed("service " + waiter + " depends on " + name
            + " completing successfully, but its tasks failed (" + last.failed() + " failed)");
      }
      if (!clock.instant().isBefore(deadline)) {
        throw new StackException.DeployFailed("service " + waiter + " depends on " + name + " ("
            + condition.wire() + "), which was not ready after " + timeout + ": " + last.running()
            + "/" + last.desired() + " running, " + last.completed() + " completed, " + last.failed() + " failed");
      }
      try {
        pauser.pause(pollInterval);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StackException.DeployFailed("interrupted while waiting for " + name, e);
      }
    }
  }

  static boolean met(Dependency.Condition c, StackTarget.Readiness r) {
    long want = Math.max(1, r.desired());
    return switch (c) {
      case SERVICE_STARTED -> r.running() >= 1 || r.completed() >= 1;
      case SERVICE_HEALTHY -> r.running() >= want;
      case SERVICE_COMPLETED_SUCCESSFULLY -> r.completed() >= want;
    };
  }

  private static ServiceSpec withIds(ServiceSpec spec, Map<String, String> secretIds, Map<String, String> configIds) {
    ContainerSpec c = spec.taskTemplate().containerSpec();
    List<SecretReference> secrets = null;
    List<ConfigReference> configs = null;
    if (c.secrets() != null) {
      secrets = new ArrayList<>();
      for (SecretReference r : c.secrets()) {
        secrets.add(new SecretReference(r.file(), require(secretIds, "secret", r.secretName()), r.secretName()));
      }
    }
    if (c.configs() != null) {
      configs = new ArrayList<>();
      for (ConfigReference r : c.configs()) {
        configs.add(new ConfigReference(r.file(), r.runtime(), require(configIds, "config", r.configName()), r.configName()));
      }
    }
    if (secrets == null && configs == null) return spec;
    return spec.withTaskTemplate(spec.taskTemplate().withContainerSpec(c.withSecretsAndConfigs(secrets, configs)));
  }

  private static String require(Map<String, String> ids, String kind, String name) {
    String id = ids.get(name);
    if (id == null) throw new StackException.DeployFailed(kind + " not found: " + name);
    return id;
  }
}
