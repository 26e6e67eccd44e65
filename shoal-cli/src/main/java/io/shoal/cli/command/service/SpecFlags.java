package io.shoal.cli.command.service;

import io.shoal.api.model.ContainerSpec;
import io.shoal.api.model.EndpointSpec;
import io.shoal.api.model.HealthConfig;
import io.shoal.api.model.Placement;
import io.shoal.api.model.Resources;
import io.shoal.api.model.RestartPolicy;
import io.shoal.api.model.ServiceMode;
import io.shoal.api.model.ServiceSpec;
import io.shoal.api.model.TaskSpec;
import io.shoal.api.model.UpdateConfig;
import io.shoal.cli.UsageException;
import io.shoal.cli.format.Units;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The flags {@code service create} and {@code service update} share. Every field is null unless
 * given, so {@link #apply} changes exactly what the user named: on create it fills a fresh spec, on
 * update it edits the current one. All values are validated here, before any request is sent.
 */
public final class SpecFlags {
  // -- resources
  @Option(names = "--limit-cpu", paramLabel = "decimal", description = "Limit CPUs") String limitCpu;
  @Option(names = "--limit-memory", paramLabel = "bytes", description = "Limit Memory") String limitMemory;
  @Option(names = "--limit-pids", paramLabel = "int", description = "Limit maximum number of processes (0 = unlimited)") String limitPids;
  @Option(names = "--reserve-cpu", paramLabel = "decimal", description = "Reserve CPUs") String reserveCpu;
  @Option(names = "--reserve-memory", paramLabel = "bytes", description = "Reserve Memory") String reserveMemory;
  // -- restart policy
  @Option(names = "--restart-condition", paramLabel = "string", description = "Restart when condition is met (\"none\", \"on-failure\", \"any\")") String restartCondition;
  @Option(names = "--restart-delay", paramLabel = "duration", description = "Delay between restart attempts (ns|us|ms|s|m|h)") String restartDelay;
  @Option(names = "--restart-max-attempts", paramLabel = "uint", description = "Maximum number of restarts before giving up") String restartMaxAttempts;
  @Option(names = "--restart-window", paramLabel = "duration", description = "Window used to evaluate the restart policy (ns|us|ms|s|m|h)") String restartWindow;
  // -- update and rollback
  @Option(names = "--update-parallelism", paramLabel = "uint", description = "Maximum number of tasks updated simultaneously (0 to update all at once)") String updateParallelism;
  @Option(names = "--update-delay", paramLabel = "duration", description = "Delay between updates (ns|us|ms|s|m|h)") String updateDelay;
  @Option(names = "--update-failure-action", paramLabel = "string", description = "Action on update failure (\"pause\", \"continue\", \"rollback\")") String updateFailureAction;
  @Option(names = "--update-monitor", paramLabel = "duration", description = "Duration after each task update to monitor for failure (ns|us|ms|s|m|h)") String updateMonitor;
  @Option(names = "--update-max-failure-ratio", paramLabel = "float", description = "Failure rate to tolerate during an update") String updateMaxFailureRatio;
  @Option(names = "--update-order", paramLabel = "string", description = "Update order (\"start-first\", \"stop-first\")") String updateOrder;
  @Option(names = "--rollback-parallelism", paramLabel = "uint", description = "Maximum number of tasks rolled back simultaneously (0 to roll back all at once)") String rollbackParallelism;
  @Option(names = "--rollback-delay", paramLabel = "duration", description = "Delay between task rollbacks (ns|us|ms|s|m|h)") String rollbackDelay;
  @Option(names = "--rollback-failure-action", paramLabel = "string", description = "Action on rollback failure (\"pause\", \"continue\")") String rollbackFailureAction;
  @Option(names = "--rollback-monitor", paramLabel = "duration", description = "Duration after each task rollback to monitor for failure (ns|us|ms|s|m|h)") String rollbackMonitor;
  @Option(names = "--rollback-max-failure-ratio", paramLabel = "float", description = "Failure rate to tolerate during a rollback") String rollbackMaxFailureRatio;
  @Option(names = "--rollback-order", paramLabel = "string", description = "Rollback order (\"start-first\", \"stop-first\")") String rollbackOrder;
  // -- container
  @Option(names = "--stop-signal", paramLabel = "string", description = "Signal to stop the container") String stopSignal;
  @Option(names = "--stop-grace-period", paramLabel = "duration", description = "Time to wait before force killing a container (ns|us|ms|s|m|h)") String stopGracePeriod;
  @Option(names = {"-w", "--workdir"}, paramLabel = "string", description = "Working directory inside the container") String workdir;
  @Option(names = {"-u", "--user"}, paramLabel = "string", description = "Username or UID (format: <name|uid>[:<group|gid>])") String user;
  @Option(names = "--hostname", paramLabel = "string", description = "Container hostname") String hostname;
  @Option(names = "--read-only", arity = "0..1", fallbackValue = "true", description = "Mount the container's root filesystem as read only") Boolean readOnly;
  @Option(names = "--init", arity = "0..1", fallbackValue = "true", description = "Use an init inside each service container to forward signals and reap processes") Boolean init;
  @Option(names = {"-t", "--tty"}, arity = "0..1", fallbackValue = "true", description = "Allocate a pseudo-TTY") Boolean tty;
  @Option(names = "--entrypoint", paramLabel = "command", description = "Overwrite the default ENTRYPOINT of the image") String entrypoint;
  // -- health
  @Option(names = "--health-cmd", paramLabel = "string", description = "Command to run to check health") String healthCmd;
  @Option(names = "--health-interval", paramLabel = "duration", description = "Time between running the check (ms|s|m|h)") String healthInterval;
  @Option(names = "--health-timeout", paramLabel = "duration", description = "Maximum time to allow one check to run (ms|s|m|h)") String healthTimeout;
  @Option(names = "--health-retries", paramLabel = "int", description = "Consecutive failures needed to report unhealthy") String healthRetries;
  @Option(names = "--health-start-period", paramLabel = "duration", description = "Start period for the container to initialize before counting retries towards unstable (ms|s|m|h)") String healthStartPeriod;
  @Option(names = "--health-start-interval", paramLabel = "duration", description = "Time between running the check during the start period (ms|s|m|h)") String healthStartInterval;
  @Option(names = "--no-healthcheck", arity = "0..1", fallbackValue = "true", description = "Disable any container-specified HEALTHCHECK") Boolean noHealthcheck;
  // -- scheduling
  @Option(names = "--replicas", paramLabel = "uint", description = "Number of tasks") String replicas;
  @Option(names = "--replicas-max-per-node", paramLabel = "uint", description = "Maximum number of tasks per node (default 0 = unlimited)") String replicasMaxPerNode;
  @Option(names = "--max-concurrent", paramLabel = "uint", description = "Number of job tasks to run concurrently (default equal to --replicas)") String maxConcurrent;
  @Option(names = "--endpoint-mode", paramLabel = "string", description = "Endpoint mode (vip or dnsrr)") String endpointMode;
  // -- client behaviour
  @Option(names = {"-d", "--detach"}, arity = "0..1", fallbackValue = "true", description = "Exit immediately instead of waiting for the service to converge") Boolean detach;
  @Option(names = {"-q", "--quiet"}, description = "Suppress progress output") boolean quiet;
  @Option(names = "--with-registry-auth", arity = "0..1", fallbackValue = "true", description = "Accepted for docker compatibility; Shoal sends no registry credentials") Boolean withRegistryAuth;

  boolean detach() {
    return Boolean.TRUE.equals(detach);
  }

  /** Applies every given flag to {@code spec}; fails with a usage error before anything is sent. */
  ServiceSpec apply(ServiceSpec spec) {
    ServiceSpec s = spec;
    TaskSpec task = Rec.orEmpty(s.taskTemplate(), TaskSpec.class);
    ContainerSpec c = Rec.orEmpty(task.containerSpec(), ContainerSpec.class);

    // container
    if (stopSignal != null) c = Rec.with(c, "stopSignal", stopSignal);
    if (stopGracePeriod != null) c = Rec.with(c, "stopGracePeriod", duration("--stop-grace-period", stopGracePeriod));
    if (workdir != null) c = Rec.with(c, "dir", workdir);
    if (user != null) c = Rec.with(c, "user", user);
    if (hostname != null) c = Rec.with(c, "hostname", hostname);
    if (readOnly != null) c = Rec.with(c, "readOnly", readOnly);
    if (init != null) c = Rec.with(c, "init", init);
    if (tty != null) c = Rec.with(c, "tty", tty);
    if (entrypoint != null) c = Rec.with(c, "command", ShellWords.split("--entrypoint", entrypoint));
    c = applyHealth(c);
    task = task.withContainerSpec(c);

    // resources
    if (limitCpu != null || limitMemory != null || limitPids != null || reserveCpu != null || reserveMemory != null) {
      Resources r = Rec.orEmpty(task.resources(), Resources.class);
      Resources.Limits lim = Rec.orEmpty(r.limits(), Resources.Limits.class);
      Resources.Limits res = Rec.orEmpty(r.reservations(), Resources.Limits.class);
      if (limitCpu != null) lim = Rec.with(lim, "nanoCPUs", cpus("--limit-cpu", limitCpu));
      if (limitMemory != null) lim = Rec.with(lim, "memoryBytes", memory("--limit-memory", limitMemory));
      if (limitPids != null) lim = Rec.with(lim, "pids", uint("--limit-pids", limitPids));
      if (reserveCpu != null) res = Rec.with(res, "nanoCPUs", cpus("--reserve-cpu", reserveCpu));
      if (reserveMemory != null) res = Rec.with(res, "memoryBytes", memory("--reserve-memory", reserveMemory));
      task = task.withResources(new Resources(lim, res));
    }

    // restart policy: sent only when a restart flag is given, so the daemon's defaults apply
    if (restartCondition != null || restartDelay != null || restartMaxAttempts != null || restartWindow != null) {
      RestartPolicy rp = Rec.orEmpty(task.restartPolicy(), RestartPolicy.class);
      if (restartCondition != null) rp = Rec.with(rp, "condition", oneOf("--restart-condition", restartCondition, "none", "on-failure", "any"));
      if (restartDelay != null) rp = Rec.with(rp, "delay", duration("--restart-delay", restartDelay));
      if (restartMaxAttempts != null) rp = Rec.with(rp, "maxAttempts", uint("--restart-max-attempts", restartMaxAttempts));
      if (restartWindow != null) rp = Rec.with(rp, "window", duration("--restart-window", restartWindow));
      task = task.withRestartPolicy(rp);
    }

    if (replicasMaxPerNode != null) {
      Placement p = Rec.orEmpty(task.placement(), Placement.class);
      task = task.withPlacement(Rec.with(p, "maxReplicas", uint("--replicas-max-per-node", replicasMaxPerNode)));
    }
    s = s.withTaskTemplate(task);

    s = s.withUpdateConfig(applyUpdate(s.updateConfig(), "update", updateParallelism, updateDelay,
        updateFailureAction, updateMonitor, updateMaxFailureRatio, updateOrder));
    s = Rec.with(s, "rollbackConfig", applyUpdate(s.rollbackConfig(), "rollback", rollbackParallelism,
        rollbackDelay, rollbackFailureAction, rollbackMonitor, rollbackMaxFailureRatio, rollbackOrder));

    if (endpointMode != null) {
      EndpointSpec e = Rec.orEmpty(s.endpointSpec(), EndpointSpec.class);
      s = s.withEndpointSpec(Rec.with(e, "mode", oneOf("--endpoint-mode", endpointMode, "vip", "dnsrr")));
    }
    return applyMode(s);
  }

  private ContainerSpec applyHealth(ContainerSpec c) {
    boolean any = healthCmd != null || healthInterval != null || healthTimeout != null
        || healthRetries != null || healthStartPeriod != null || healthStartInterval != null;
    if (Boolean.TRUE.equals(noHealthcheck)) {
      if (any) {
        throw new UsageException("--no-healthcheck conflicts with --health-* options");
      }
      return c.withHealthCheck(new HealthConfig(List.of("NONE"), null, null, null, null, null));
    }
    if (!any) {
      return c;
    }
    HealthConfig h = Rec.orEmpty(c.healthCheck(), HealthConfig.class);
    if (h.test() != null && h.test().equals(List.of("NONE"))) {
      h = Rec.with(h, "test", null);
    }
    if (healthCmd != null) h = Rec.with(h, "test", healthCmd.isEmpty() ? null : List.of("CMD-SHELL", healthCmd));
    if (healthInterval != null) h = Rec.with(h, "interval", duration("--health-interval", healthInterval));
    if (healthTimeout != null) h = Rec.with(h, "timeout", duration("--health-timeout", healthTimeout));
    if (healthRetries != null) h = Rec.with(h, "retries", (int) uint("--health-retries", healthRetries));
    if (healthStartPeriod != null) h = Rec.with(h, "startPeriod", duration("--health-start-period", healthStartPeriod));
    if (healthStartInterval != null) h = Rec.with(h, "startInterval", duration("--health-start-interval", healthStartInterval));
    return c.withHealthCheck(h);
  }

  private static UpdateConfig applyUpdate(UpdateConfig current, String kind, String parallelism,
      String delay, String failureAction, String monitor, String ratio, String order) {
    if (parallelism == null && delay == null && failureAction == null && monitor == null
        && ratio == null && order == null) {
      return current;
    }
    UpdateConfig u = current != null ? current : UpdateConfig.DEFAULT;
    String p = "--" + kind + "-";
    if (parallelism != null) u = Rec.with(u, "parallelism", uint(p + "parallelism", parallelism));
    if (delay != null) u = Rec.with(u, "delay", duration(p + "delay", delay));
    if (failureAction != null) {
      u = Rec.with(u, "failureAction", kind.equals("update")
          ? oneOf(p + "failure-action", failureAction, "pause", "continue", "rollback")
          : oneOf(p + "failure-action", failureAction, "pause", "continue"));
    }
    if (monitor != null) u = Rec.with(u, "monitor", duration(p + "monitor", monitor));
    if (ratio != null) u = Rec.with(u, "maxFailureRatio", ratio(p + "max-failure-ratio", ratio));
    if (order != null) u = Rec.with(u, "order", oneOf(p + "order", order, "start-first", "stop-first"));
    return u;
  }

  /** {@code --replicas} and {@code --max-concurrent} only make sense for some modes. */
  private ServiceSpec applyMode(ServiceSpec s) {
    ServiceMode mode = s.modeOrDefault();
    if (replicas != null) {
      long n = uint("--replicas", replicas);
      if (mode.replicated() != null) {
        mode = ServiceMode.replicas(n);
      } else if (mode.replicatedJob() != null) {
        mode = new ServiceMode(null, null, new ServiceMode.ReplicatedJob(mode.replicatedJob().maxConcurrent(), n), null);
      } else {
        throw new UsageException("replicas can only be used with replicated or replicated-job mode");
      }
    }
    if (maxConcurrent != null) {
      long n = uint("--max-concurrent", maxConcurrent);
      if (mode.replicatedJob() == null) {
        throw new UsageException("max-concurrent can only be used with replicated-job mode");
      }
      mode = new ServiceMode(null, null, new ServiceMode.ReplicatedJob(n, mode.replicatedJob().totalCompletions()), null);
    }
    if (replicasMaxPerNode != null && mode.isGlobal()) {
      throw new UsageException("replicas-max-per-node can only be used with replicated or replicated-job mode");
    }
    return replicas != null || maxConcurrent != null ? s.withMode(mode) : s;
  }

  // ---- value parsers with docker's error wording ----

  static long duration(String flag, String v) {
    try {
      return Units.parseDuration(v);
    } catch (IllegalArgumentException e) {
      throw UsageException.badValue(flag, v, e.getMessage());
    }
  }

  static long memory(String flag, String v) {
    try {
      return Units.parseMemory(v);
    } catch (IllegalArgumentException e) {
      throw UsageException.badValue(flag, v, e.getMessage());
    }
  }

  static long cpus(String flag, String v) {
    try {
      return Units.parseCpus(v);
    } catch (IllegalArgumentException e) {
      throw UsageException.badValue(flag, v, e.getMessage());
    }
  }

  static long uint(String flag, String v) {
    try {
      long n = Long.parseLong(v.trim());
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw UsageException.badValue(flag, v, "must be a non-negative integer");
    }
  }

  static double ratio(String flag, String v) {
    try {
      double d = Double.parseDouble(v.trim());
      if (d < 0 || d > 1 || Double.isNaN(d)) {
        throw UsageException.badValue(flag, v, "must be between 0 and 1");
      }
      return d;
    } catch (NumberFormatException e) {
      throw UsageException.badValue(flag, v, "not a number");
    }
  }

  static String oneOf(String flag, String v, String... allowed) {
    String l = v.toLowerCase(Locale.ROOT);
    for (String a : allowed) {
      if (a.equals(l)) {
        return a;
      }
    }
    throw UsageException.badValue(flag, v, "must be one of " + String.join(", ", allowed));
  }
}
