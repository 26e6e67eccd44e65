package io.shoal.executor.docker;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.LogConfig;
import io.shoal.api.model.Driver;
import com.github.dockerjava.api.model.InternetProtocol;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.TmpfsOptions;
import com.github.dockerjava.api.model.Ulimit;
import com.github.dockerjava.api.model.VolumeOptions;
import io.shoal.agent.exec.ExecutorException;
import io.shoal.agent.exec.HealthChecks;
import io.shoal.agent.exec.TaskNames;
import io.shoal.api.model.ContainerSpec;
import io.shoal.api.model.HealthConfig;
import io.shoal.api.model.Mount;
import io.shoal.api.model.PortConfig;
import io.shoal.api.model.Resources;
import io.shoal.api.model.Task;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Maps a task's {@link ContainerSpec} onto a Docker create-container request the way Docker's own
 * swarm executor does: {@code Command} becomes the entrypoint and {@code Args} the cmd, the swarm
 * labels go on the container, {@code Hosts} entries ({@code "IP name..."}) become
 * {@code ExtraHosts} ({@code "name:IP"}). Pure apart from the request object it fills.
 */
final class ContainerSpecs {
  /** Default for where ingress-mode ports are bound: the routing mesh forwards to them (see the config). */
  static final String INGRESS_BIND_IP = "127.0.0.1";

  private ContainerSpecs() {}

  /** The labels a task's container carries: the spec's, then the swarm ones (which win). */
  static Map<String, String> labels(Task t) {
    Map<String, String> l = new LinkedHashMap<>(t.spec().containerSpec().labels());
    l.put(TaskNames.LABEL_SERVICE_ID, String.valueOf(t.serviceID()));
    l.put(TaskNames.LABEL_SERVICE_NAME, TaskNames.serviceName(t));
    l.put(TaskNames.LABEL_TASK, "");
    l.put(TaskNames.LABEL_TASK_ID, t.id());
    l.put(TaskNames.LABEL_TASK_NAME, TaskNames.containerName(t));
    l.put(TaskNames.LABEL_NODE_ID, String.valueOf(t.nodeID()));
    return l;
  }

  /** The ports a task publishes, from the allocator's endpoint. */
  static List<PortConfig> ports(Task t) {
    return t.endpoint() == null ? List.of() : t.endpoint().portsOrEmpty();
  }

  static void apply(CreateContainerCmd cmd, Task t, List<com.github.dockerjava.api.model.Mount> extraMounts) {
    apply(cmd, t, extraMounts, INGRESS_BIND_IP);
  }

  static void apply(CreateContainerCmd cmd, Task t, List<com.github.dockerjava.api.model.Mount> extraMounts, String ingressIp) {
    apply(cmd, t, extraMounts, ingressIp, List.of());
  }

  /**
   * @param nets the task's overlay attachments, primary first: the container is created on the
   *     primary one with its allocated address and MAC, its resolver is this node's gateway there
   *     (unless the spec names nameservers); the others are connected before start. Empty: the
   *     engine's default network.
   */
  static void apply(CreateContainerCmd cmd, Task t, List<com.github.dockerjava.api.model.Mount> extraMounts, String ingressIp,
      List<TaskNetworks.Attachment> nets) {
    ContainerSpec cs = t.spec().containerSpec();
    cmd.withName(TaskNames.containerName(t)).withLabels(labels(t));
    if (cs.command() != null && !cs.command().isEmpty()) {
      cmd.withEntrypoint(cs.command());
    }
    if (cs.args() != null && !cs.args().isEmpty()) {
      cmd.withCmd(cs.args());
    }
    if (cs.env() != null) {
      cmd.withEnv(cs.env());
    }
    if (cs.hostname() != null && !cs.hostname().isEmpty()) {
      cmd.withHostName(cs.hostname());
    }
    if (cs.dir() != null && !cs.dir().isEmpty()) {
      cmd.withWorkingDir(cs.dir());
    }
    if (cs.user() != null && !cs.user().isEmpty()) {
      cmd.withUser(cs.user());
    }
    if (Boolean.TRUE.equals(cs.tty())) {
      cmd.withTty(true);
    }
    if (Boolean.TRUE.equals(cs.openStdin())) {
      cmd.withStdinOpen(true);
    }
    if (cs.stopSignal() != null && !cs.stopSignal().isEmpty()) {
      cmd.withStopSignal(cs.stopSignal());
    }
    cmd.withStopTimeout((int) Math.max(0, (HealthChecks.grace(t).toMillis() + 999) / 1000));
    HealthConfig h = cs.healthCheck();
    if (h != null && h.test() != null && !h.test().isEmpty()) {
      cmd.withHealthcheck(new HealthCheck().withTest(h.test()).withInterval(h.interval())
          .withTimeout(h.timeout()).withRetries(h.retries()).withStartPeriod(h.startPeriod())
          .withStartInterval(h.startInterval()));
    }

    HostConfig hc = HostConfig.newHostConfig();
    List<com.github.dockerjava.api.model.Mount> mounts = new ArrayList<>();
    if (cs.mounts() != null) {
      cs.mounts().forEach(m -> mounts.add(mount(m)));
    }
    mounts.addAll(extraMounts);
    if (!mounts.isEmpty()) {
      hc.withMounts(mounts);
    }
    Resources.Limits lim = t.spec().resources() == null ? null : t.spec().resources().limits();
    if (lim != null) {
      if (lim.nanoCPUs() != null && lim.nanoCPUs() > 0) {
        hc.withNanoCPUs(lim.nanoCPUs());
      }
      if (lim.memoryBytes() != null && lim.memoryBytes() > 0) {
        hc.withMemory(lim.memoryBytes());
      }
      if (lim.pids() != null && lim.pids() > 0) {
        hc.withPidsLimit(lim.pids());
      }
    }
    if (cs.init() != null) {
      hc.withInit(cs.init());
    }
    if (Boolean.TRUE.equals(cs.readOnly())) {
      hc.withReadonlyRootfs(true);
    }
    if (cs.sysctls() != null && !cs.sysctls().isEmpty()) {
      hc.withSysctls(cs.sysctls());
    }
    if (cs.capabilityAdd() != null && !cs.capabilityAdd().isEmpty()) {
      hc.withCapAdd(capabilities(cs.capabilityAdd()));
    }
    if (cs.capabilityDrop() != null && !cs.capabilityDrop().isEmpty()) {
      hc.withCapDrop(capabilities(cs.capabilityDrop()));
    }
    if (cs.ulimits() != null && !cs.ulimits().isEmpty()) {
      hc.withUlimits(cs.ulimits().stream()
          .map(u -> new Ulimit(u.name(), u.soft() == null ? 0L : u.soft(), u.hard() == null ? 0L : u.hard()))
          .toList());
    }
    if (cs.hosts() != null && !cs.hosts().isEmpty()) {
      hc.withExtraHosts(extraHosts(cs.hosts()).toArray(String[]::new));
    }
    if (!nets.isEmpty()) {
      TaskNetworks.Attachment primary = nets.get(0);
      hc.withNetworkMode(primary.engineNetwork());
      cmd.withIpv4Address(primary.address()).withMacAddress(primary.mac());
      hc.withDns(List.of(primary.gateway())); // Shoal's resolver answers on every gateway address
    }
    if (cs.dnsConfig() != null) {
      if (cs.dnsConfig().nameservers() != null && !cs.dnsConfig().nameservers().isEmpty()) {
        hc.withDns(cs.dnsConfig().nameservers());
      }
      if (cs.dnsConfig().search() != null) {
        hc.withDnsSearch(cs.dnsConfig().search());
      }
      if (cs.dnsConfig().options() != null) {
        hc.withDnsOptions(cs.dnsConfig().options());
      }
    }
    if (cs.groups() != null && !cs.groups().isEmpty()) {
      hc.withGroupAdd(cs.groups());
    }
    if (cs.oomScoreAdj() != null) {
      hc.withOomScoreAdj(cs.oomScoreAdj().intValue());
    }
    // the task's log driver and options (--log-driver/--log-opt), as Swarm's executor sets them
    Driver log = t.spec().logDriver();
    if (log != null && log.name() != null && !log.name().isEmpty()) {
      hc.withLogConfig(new LogConfig(LogConfig.LoggingType.fromValue(log.name()), log.options() == null ? Map.of() : log.options()));
    } else if (log != null && log.options() != null && !log.options().isEmpty()) {
      hc.withLogConfig(new LogConfig(null, log.options()));
    }
    // Privileges.NoNewPrivileges: dockerd's security option of the same meaning
    if (cs.privileges() != null && cs.privileges().path("NoNewPrivileges").asBoolean(false)) {
      hc.withSecurityOpts(List.of("no-new-privileges=true"));
    }

    List<PortConfig> ports = ports(t);
    if (!ports.isEmpty()) {
      List<ExposedPort> exposed = new ArrayList<>();
      Ports bindings = new Ports();
      for (PortConfig p : ports) {
        ExposedPort e = exposedPort(p);
        exposed.add(e);
        if (PortConfig.HOST.equals(p.publishModeOrDefault())) {
          // host mode binds where Docker does: all addresses, the published port (or any)
          bindings.bind(e, p.published() > 0 ? Ports.Binding.bindPort(p.published()) : Ports.Binding.empty());
        } else {
          // ingress: an ephemeral loopback port the node's routing mesh forwards to
          bindings.bind(e, Ports.Binding.bindIp(ingressIp));
        }
      }
      cmd.withExposedPorts(exposed);
      hc.withPortBindings(bindings);
    }
    cmd.withHostConfig(hc);
  }

  static ExposedPort exposedPort(PortConfig p) {
    return new ExposedPort(p.target(), InternetProtocol.parse(p.protocolOrDefault()));
  }

  /** Swarm's {@code "IP name1 name2"} host entries as Docker's {@code "name:IP"} ExtraHosts. */
  static List<String> extraHosts(List<String> hosts) {
    List<String> out = new ArrayList<>();
    for (String h : hosts) {
      String[] parts = h.trim().split("\\s+");
      if (parts.length < 2) {
        out.add(h.trim()); // already "name:IP"
        continue;
      }
      for (int i = 1; i < parts.length; i++) {
        out.add(parts[i] + ":" + parts[0]);
      }
    }
    return out;
  }

  private static Capability[] capabilities(List<String> caps) {
    return caps.stream().map(c -> {
      String n = c.toUpperCase(Locale.ROOT);
      n = n.startsWith("CAP_") ? n.substring(4) : n;
      try {
        return Capability.valueOf(n);
      } catch (IllegalArgumentException e) {
        throw new ExecutorException.Rejected("invalid capability: " + c);
      }
    }).toArray(Capability[]::new);
  }

  static com.github.dockerjava.api.model.Mount mount(Mount m) {
    String type = m.type() == null ? "volume" : m.type().toLowerCase(Locale.ROOT);
    var out = new com.github.dockerjava.api.model.Mount().withTarget(m.target()).withReadOnly(m.isReadOnly());
    switch (type) {
      case "bind" -> out.withType(MountType.BIND).withSource(m.source());
      case "volume" -> {
        out.withType(MountType.VOLUME).withSource(m.source());
        if (m.volumeOptions() != null) {
          VolumeOptions vo = new VolumeOptions();
          if (m.volumeOptions().noCopy() != null) {
            vo.withNoCopy(m.volumeOptions().noCopy());
          }
          if (m.volumeOptions().labels() != null) {
            vo.withLabels(m.volumeOptions().labels());
          }
          out.withVolumeOptions(vo);
        }
      }
      case "tmpfs" -> {
        out.withType(MountType.TMPFS);
        if (m.tmpfsOptions() != null) {
          TmpfsOptions to = new TmpfsOptions();
          if (m.tmpfsOptions().sizeBytes() != null) {
            to.withSizeBytes(m.tmpfsOptions().sizeBytes());
          }
          if (m.tmpfsOptions().mode() != null) {
            to.withMode(m.tmpfsOptions().mode());
          }
          out.withTmpfsOptions(to);
        }
      }
      default -> throw new ExecutorException.Rejected("invalid mount type: " + m.type());
    }
    return out;
  }
}
