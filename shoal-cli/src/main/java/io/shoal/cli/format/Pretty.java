package io.shoal.cli.format;

import io.shoal.api.model.ContainerSpec;
import io.shoal.api.model.HealthConfig;
import io.shoal.api.model.Mount;
import io.shoal.api.model.Node;
import io.shoal.api.model.Placement;
import io.shoal.api.model.PortConfig;
import io.shoal.api.model.Resources;
import io.shoal.api.model.RestartPolicy;
import io.shoal.api.model.Service;
import io.shoal.api.model.ServiceMode;
import io.shoal.api.model.ServiceSpec;
import io.shoal.api.model.TaskSpec;
import io.shoal.api.model.UpdateConfig;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The human forms of {@code service inspect --pretty} and {@code node inspect --pretty}, laid out
 * as docker lays them out (section headers, one-space indented fields, tab separators).
 */
public final class Pretty {
  private Pretty() {}

  public static String service(Service svc) {
    StringBuilder b = new StringBuilder();
    ServiceSpec s = svc.spec();
    b.append("\nID:\t\t").append(svc.id()).append('\n');
    b.append("Name:\t\t").append(s.name()).append('\n');
    labels(b, "Labels", s.labels());
    ServiceMode m = s.modeOrDefault();
    if (m.global() != null) {
      b.append("Service Mode:\tGlobal\n");
    } else if (m.replicatedJob() != null) {
      b.append("Service Mode:\tReplicatedJob\n");
      b.append(" Max Concurrent:\t").append(m.replicatedJob().maxConcurrentOrDefault()).append('\n');
      b.append(" Total Completions:\t").append(m.replicatedJob().totalCompletionsOrDefault()).append('\n');
    } else if (m.globalJob() != null) {
      b.append("Service Mode:\tGlobalJob\n");
    } else {
      b.append("Service Mode:\tReplicated\n");
      b.append(" Replicas:\t").append(m.replicaCount()).append('\n');
    }
    if (svc.updateStatus() != null) {
      b.append("UpdateStatus:\n");
      b.append(" State:\t\t").append(nz(svc.updateStatus().state())).append('\n');
      if (svc.updateStatus().startedAt() != null) {
        b.append(" Started:\t").append(svc.updateStatus().startedAt()).append('\n');
      }
      if (svc.updateStatus().completedAt() != null) {
        b.append(" Completed:\t").append(svc.updateStatus().completedAt()).append('\n');
      }
      b.append(" Message:\t").append(nz(svc.updateStatus().message())).append('\n');
    }
    TaskSpec t = s.taskTemplate();
    b.append("Placement:\n");
    if (t != null && t.placement() != null) {
      Placement p = t.placement();
      if (p.constraints() != null && !p.constraints().isEmpty()) {
        b.append(" Constraints:\t").append(p.constraints()).append('\n');
      }
      if (p.preferences() != null && !p.preferences().isEmpty()) {
        b.append(" Preferences:\t").append(p.preferences().stream()
            .map(x -> "Spread=" + x.spread().spreadDescriptor()).collect(Collectors.joining(", "))).append('\n');
      }
      if (p.maxReplicasOrZero() > 0) {
        b.append(" Max Replicas Per Node:\t").append(p.maxReplicas()).append('\n');
      }
    }
    update(b, "UpdateConfig", "Update order", s.updateConfig(), true);
    update(b, "RollbackConfig", "Rollback order", s.rollbackConfig(), false);
    ContainerSpec c = t == null ? null : t.containerSpec();
    b.append("ContainerSpec:\n");
    if (c != null) {
      b.append(" Image:\t\t").append(nz(c.image())).append('\n');
      if (c.command() != null && !c.command().isEmpty()) {
        b.append(" Command:\t").append(String.join(" ", c.command())).append('\n');
      }
      if (c.args() != null && !c.args().isEmpty()) {
        b.append(" Args:\t\t").append(String.join(" ", c.args())).append(" \n");
      }
      if (c.env() != null && !c.env().isEmpty()) {
        b.append(" Env:\t\t").append(String.join(" ", c.env())).append('\n');
      }
      if (c.dir() != null && !c.dir().isEmpty()) {
        b.append(" Dir:\t\t").append(c.dir()).append('\n');
      }
      if (c.user() != null && !c.user().isEmpty()) {
        b.append(" User:\t\t").append(c.user()).append('\n');
      }
      if (c.stopSignal() != null) {
        b.append(" StopSignal:\t").append(c.stopSignal()).append('\n');
      }
      if (c.stopGracePeriod() != null) {
        b.append(" StopGracePeriod:\t").append(Units.formatDuration(c.stopGracePeriod())).append('\n');
      }
      b.append(" Init:\t\t").append(Boolean.TRUE.equals(c.init())).append('\n');
      health(b, c.healthCheck());
      if (c.mounts() != null && !c.mounts().isEmpty()) {
        b.append("Mounts:\n");
        for (Mount mt : c.mounts()) {
          b.append(" Target:\t").append(mt.target()).append('\n');
          b.append("  Source:\t").append(nz(mt.source())).append('\n');
          b.append("  ReadOnly:\t").append(mt.isReadOnly()).append('\n');
          b.append("  Type:\t\t").append(nz(mt.type())).append('\n');
        }
      }
    }
    resources(b, t == null ? null : t.resources());
    if (t != null && t.restartPolicy() != null) {
      RestartPolicy r = t.restartPolicy();
      b.append("RestartPolicy:\n");
      b.append(" Condition:\t").append(r.conditionOrDefault()).append('\n');
      b.append(" Delay:\t\t").append(Units.formatDuration(r.delayOrDefault())).append('\n');
      b.append(" Max attempts:\t").append(r.maxAttemptsOrZero()).append('\n');
      b.append(" Window:\t").append(Units.formatDuration(r.windowOrZero())).append('\n');
    }
    String endpointMode = s.endpointSpec() == null || s.endpointSpec().mode() == null ? "vip" : s.endpointSpec().mode();
    b.append("Endpoint Mode:\t").append(endpointMode).append('\n');
    List<PortConfig> ports = svc.endpoint() != null && !svc.endpoint().portsOrEmpty().isEmpty()
        ? svc.endpoint().portsOrEmpty() : s.portsOrEmpty();
    if (!ports.isEmpty()) {
      b.append("Ports:\n");
      for (PortConfig p : ports) {
        b.append(" PublishedPort = ").append(p.published()).append('\n');
        b.append("  Protocol = ").append(p.protocolOrDefault()).append('\n');
        b.append("  TargetPort = ").append(p.target()).append('\n');
        b.append("  PublishMode = ").append(p.publishModeOrDefault()).append('\n');
      }
    }
    return b.append('\n').toString();
  }

  private static void update(StringBuilder b, String title, String orderTitle, UpdateConfig u, boolean withDelay) {
    if (u == null) {
      return;
    }
    b.append(title).append(":\n");
    b.append(" Parallelism:\t").append(u.parallelismOrDefault()).append('\n');
    if (u.delayOrZero() > 0 || withDelay) {
      if (u.delayOrZero() > 0) {
        b.append(" Delay:\t\t").append(Units.formatDuration(u.delayOrZero())).append('\n');
      }
    }
    b.append(" On failure:\t").append(u.failureActionOrDefault()).append('\n');
    b.append(" Monitoring Period: ").append(Units.formatDuration(u.monitorOrDefault())).append('\n');
    b.append(" Max failure ratio: ").append(trimDouble(u.maxFailureRatioOrZero())).append('\n');
    b.append(" ").append(orderTitle).append(":").append(" ".repeat(Math.max(1, 18 - orderTitle.length())))
        .append(u.orderOrDefault()).append('\n');
  }

  private static void health(StringBuilder b, HealthConfig h) {
    if (h == null) {
      return;
    }
    b.append("Healthcheck:\n");
    if (h.interval() != null) b.append(" Interval = ").append(Units.formatDuration(h.interval())).append('\n');
    if (h.retries() != null) b.append(" Retries = ").append(h.retries()).append('\n');
    if (h.startPeriod() != null) b.append(" StartPeriod = ").append(Units.formatDuration(h.startPeriod())).append('\n');
    if (h.timeout() != null) b.append(" Timeout = ").append(Units.formatDuration(h.timeout())).append('\n');
    if (h.test() != null && !h.test().isEmpty()) {
      b.append(" Tests:\n");
      h.test().forEach(x -> b.append("\t Test = ").append(x).append('\n'));
    }
  }

  private static void resources(StringBuilder b, Resources r) {
    b.append("Resources:\n");
    if (r == null) {
      return;
    }
    limits(b, "Reservations", r.reservations());
    limits(b, "Limits", r.limits());
  }

  private static void limits(StringBuilder b, String title, Resources.Limits l) {
    if (l == null || (l.cpus() == 0 && l.memory() == 0 && (l.pids() == null || l.pids() == 0))) {
      return;
    }
    b.append(" ").append(title).append(":\n");
    if (l.cpus() > 0) b.append("  CPU:\t\t").append(Units.formatCpus(l.cpus())).append('\n');
    if (l.memory() > 0) b.append("  Memory:\t").append(Units.formatBytes(l.memory())).append('\n');
    if (l.pids() != null && l.pids() > 0) b.append("  PIDs:\t\t").append(l.pids()).append('\n');
  }

  public static String node(Node n) {
    StringBuilder b = new StringBuilder();
    b.append("ID:\t\t\t").append(n.id()).append('\n');
    if (n.spec() != null && n.spec().name() != null && !n.spec().name().isEmpty()) {
      b.append("Name:\t\t\t").append(n.spec().name()).append('\n');
    }
    labels(b, "Labels", n.spec() == null ? null : n.spec().labels());
    b.append("Hostname:\t\t").append(nz(n.hostname())).append('\n');
    if (n.createdAt() != null) {
      b.append("Joined at:\t\t").append(n.createdAt()).append('\n');
    }
    b.append("Status:\n");
    b.append(" State:\t\t\t").append(Display.capitalize(n.status() == null ? "" : n.status().state())).append('\n');
    if (n.status() != null && n.status().message() != null && !n.status().message().isEmpty()) {
      b.append(" Message:\t\t").append(n.status().message()).append('\n');
    }
    b.append(" Availability:\t\t").append(Display.capitalize(n.spec() == null ? "" : n.spec().availabilityOrActive())).append('\n');
    if (n.status() != null && n.status().addr() != null) {
      b.append(" Address:\t\t").append(n.status().addr()).append('\n');
    }
    if (n.managerStatus() != null) {
      b.append("Manager Status:\n");
      b.append(" Address:\t\t").append(nz(n.managerStatus().addr())).append('\n');
      b.append(" Raft Status:\t\t").append(Display.capitalize(n.managerStatus().reachability())).append('\n');
      b.append(" Leader:\t\t").append(Boolean.TRUE.equals(n.managerStatus().leader()) ? "Yes" : "No").append('\n');
    }
    if (n.description() != null) {
      if (n.description().platform() != null) {
        b.append("Platform:\n");
        b.append(" Operating System:\t").append(nz(n.description().platform().os())).append('\n');
        b.append(" Architecture:\t\t").append(nz(n.description().platform().architecture())).append('\n');
      }
      if (n.description().resources() != null) {
        b.append("Resources:\n");
        b.append(" CPUs:\t\t\t").append(n.description().resources().cpus() / 1_000_000_000L).append('\n');
        b.append(" Memory:\t\t").append(Units.formatBytes(n.description().resources().memory())).append('\n');
      }
      if (n.description().engine() != null) {
        b.append("Engine Version:\t\t").append(nz(n.description().engine().engineVersion())).append('\n');
        labels(b, "Engine Labels", n.description().engine().labels());
      }
    }
    return b.toString();
  }

  private static void labels(StringBuilder b, String title, Map<String, String> labels) {
    if (labels == null || labels.isEmpty()) {
      return;
    }
    b.append(title).append(":\n");
    labels.forEach((k, v) -> b.append(" - ").append(k).append('=').append(v).append('\n'));
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  private static String trimDouble(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
