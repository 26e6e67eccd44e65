package io.shoal.stack.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shoal.api.model.ConfigReference;
import io.shoal.api.model.ContainerSpec;
import io.shoal.api.model.Driver;
import io.shoal.api.model.EndpointSpec;
import io.shoal.api.model.HealthConfig;
import io.shoal.api.model.Mount;
import io.shoal.api.model.NetworkAttachmentConfig;
import io.shoal.api.model.Placement;
import io.shoal.api.model.PortConfig;
import io.shoal.api.model.Resources;
import io.shoal.api.model.RestartPolicy;
import io.shoal.api.model.SecretReference;
import io.shoal.api.model.ServiceMode;
import io.shoal.api.model.ServiceSpec;
import io.shoal.api.model.TaskSpec;
import io.shoal.api.model.UpdateConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Maps one normalized compose service to a {@link ServiceSpec} field by field as docker/cli's
 * {@code convert.Service} does: entrypoint → Command and command → Args, sorted env, stack label
 * on service and container labels, {@code com.docker.stack.image} on the service, networks in the
 * task template with the service name as alias, ports sorted, secrets/configs sorted by name with
 * mode 0444 and uid/gid 0, durations in nanoseconds, zero values left out as Go's
 * {@code omitempty} leaves them out.
 *
 * <p>Two deliberate additions where docker drops a key silently: service {@code tmpfs} entries
 * become tmpfs mounts and {@code dns_opt} becomes {@code DNSConfig.Options}; Swarm supports both
 * and a user who wrote them expects them to apply.
 */
final class ServiceConverter {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private final String stack;
  private final JsonNode model;

  ServiceConverter(String stack, JsonNode model) {
    this.stack = stack;
    this.model = model;
  }

  String scope(String name) {
    return stack + "_" + name;
  }

  Map<String, String> withStackLabel(JsonNode labels) {
    Map<String, String> out = new TreeMap<>();
    if (labels != null) labels.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    out.put(StackConverter.NAMESPACE_LABEL, stack);
    return out;
  }

  ServiceSpec convert(String name, JsonNode s) {
    String image = s.path("image").asText(null);
    if (image == null || image.isEmpty()) throw new IllegalArgumentException("image is required");
    JsonNode deploy = s.path("deploy");

    ContainerSpec container = new ContainerSpec(
        image,
        withStackLabel(s.get("labels")),
        strings(s.get("entrypoint")),
        strings(s.get("command")),
        text(s, "hostname"),
        env(s.get("environment")),
        text(s, "working_dir"),
        text(s, "user"),
        null,
        null,
        trueOrNull(s, "tty"),
        trueOrNull(s, "stdin_open"),
        trueOrNull(s, "read_only"),
        nullIfEmpty(mounts(s)),
        text(s, "stop_signal"),
        s.has("stop_grace_period") ? Units.durationNanos(s.get("stop_grace_period").asText()) : null,
        health(s.get("healthcheck")),
        nullIfEmpty(hosts(s.get("extra_hosts"))),
        dns(s),
        nullIfEmpty(secrets(s.get("secrets"))),
        s.hasNonNull("oom_score_adj") && s.get("oom_score_adj").asLong() != 0 ? s.get("oom_score_adj").asLong() : null,
        nullIfEmpty(configs(s.get("configs"))),
        text(s, "isolation"),
        s.hasNonNull("init") ? s.get("init").asBoolean() : null,
        sysctls(s.get("sysctls")),
        nullIfEmpty(caps(s.get("cap_add"), s.get("cap_drop"), true)),
        nullIfEmpty(caps(s.get("cap_add"), s.get("cap_drop"), false)),
        nullIfEmpty(ulimits(s.get("ulimits"))));

    Driver logDriver = null;
    if (s.hasNonNull("logging")) {
      JsonNode l = s.get("logging");
      logDriver = new Driver(text(l, "driver"), stringMapOrNull(l.get("options")));
    }

    TaskSpec task = new TaskSpec(null, container, null, resources(deploy.path("resources")),
        restartPolicy(s), placement(deploy.path("placement")), null, null, networks(name, s), logDriver);

    Map<String, String> labels = withStackLabel(deploy.get("labels"));
    labels.put(StackConverter.IMAGE_LABEL, image);
    return new ServiceSpec(scope(name), labels, task, mode(deploy), update(deploy.get("update_config")),
        update(deploy.get("rollback_config")), null, endpoint(s, deploy));
  }

  private static String text(JsonNode n, String key) {
    JsonNode v = n.get(key);
    return v == null || v.isNull() || v.asText().isEmpty() ? null : v.asText();
  }

  private static Boolean trueOrNull(JsonNode n, String key) {
    return n.path(key).asBoolean(false) ? Boolean.TRUE : null;
  }

  private static <T> List<T> nullIfEmpty(List<T> l) {
    return l == null || l.isEmpty() ? null : l;
  }

  private static List<String> strings(JsonNode n) {
    if (n == null || n.isNull()) return null;
    List<String> out = new ArrayList<>();
    n.forEach(x -> out.add(x.asText()));
    return out;
  }

  private static Map<String, String> stringMapOrNull(JsonNode n) {
    if (n == null || n.isNull()) return null;
    Map<String, String> out = new TreeMap<>();
    n.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText()));
    return out;
  }

  private static List<String> env(JsonNode environment) {
    if (environment == null || environment.isEmpty()) return null;
    List<String> out = new ArrayList<>();
    environment.fields().forEachRemaining(e ->
        out.add(e.getValue().isNull() ? e.getKey() : e.getKey() + "=" + e.getValue().asText()));
    out.sort(Comparator.naturalOrder());
    return out;
  }

  private static List<String> hosts(JsonNode extraHosts) {
    List<String> out = new ArrayList<>();
    if (extraHosts == null) return out;
    for (JsonNode h : extraHosts) {
      String t = h.asText();
      int colon = t.indexOf(':');
      // docker's notation is "host:ip"; the swarm task wants /etc/hosts' "ip host".
      if (colon > 0) out.add(t.substring(colon + 1) + " " + t.substring(0, colon));
    }
    return out;
  }

  private static ContainerSpec.DnsConfig dns(JsonNode s) {
    List<String> servers = strings(s.get("dns"));
    List<String> search = strings(s.get("dns_search"));
    List<String> options = strings(s.get("dns_opt"));
    if (nullIfEmpty(servers) == null && nullIfEmpty(search) == null && nullIfEmpty(options) == null) return null;
    return new ContainerSpec.DnsConfig(nullIfEmpty(servers), nullIfEmpty(search), nullIfEmpty(options));
  }

  private static Map<String, String> sysctls(JsonNode n) {
    return n == null || n.isEmpty() ? null : stringMapOrNull(n);
  }

  /** docker's EffectiveCapAddCapDrop: upper case, CAP_ prefix, ALL wins, an added cap is not dropped. */
  private static List<String> caps(JsonNode add, JsonNode drop, boolean wantAdd) {
    TreeSet<String> a = normalizeCaps(add);
    TreeSet<String> d = normalizeCaps(drop);
    if (a.contains("ALL")) a = new TreeSet<>(List.of("ALL"));
    if (d.contains("ALL")) d = new TreeSet<>(List.of("ALL"));
    d.removeAll(a);
    return new ArrayList<>(wantAdd ? a : d);
  }

  private static TreeSet<String> normalizeCaps(JsonNode n) {
    TreeSet<String> out = new TreeSet<>();
    if (n == null) return out;
    for (JsonNode c : n) {
      String v = c.asText().trim().toUpperCase(Locale.ROOT);
      if (v.isEmpty()) continue;
      out.add(v.equals("ALL") || v.startsWith("CAP_") ? v : "CAP_" + v);
    }
    return out;
  }

  private static List<ContainerSpec.Ulimit> ulimits(JsonNode n) {
    List<ContainerSpec.Ulimit> out = new ArrayList<>();
    if (n == null) return out;
    n.fields().forEachRemaining(e ->
        out.add(new ContainerSpec.Ulimit(e.getKey(), e.getValue().path("soft").asLong(), e.getValue().path("hard").asLong())));
    out.sort(Comparator.comparing(ContainerSpec.Ulimit::name));
    return out;
  }

  private static HealthConfig health(JsonNode h) {
    if (h == null || h.isNull()) return null;
    if (h.path("disable").asBoolean(false)) {
      if (h.has("test") && !h.get("test").isEmpty()) {
        throw new IllegalArgumentException("test and disable can't be set at the same time");
      }
      return new HealthConfig(List.of("NONE"), null, null, null, null, null);
    }
    return new HealthConfig(strings(h.get("test")), dur(h, "interval"), dur(h, "timeout"),
        h.path("retries").asInt(0) == 0 ? null : h.get("retries").asInt(), dur(h, "start_period"),
        dur(h, "start_interval"));
  }

  /** A duration in ns, or null when absent or zero (Go's omitempty). */
  private static Long dur(JsonNode n, String key) {
    if (n == null || !n.hasNonNull(key)) return null;
    long v = Units.durationNanos(n.get(key).asText());
    return v == 0 ? null : v;
  }

  private static Long durPtr(JsonNode n, String key) {
    return n == null || !n.hasNonNull(key) ? null : Units.durationNanos(n.get(key).asText());
  }

  private static Resources resources(JsonNode r) {
    Resources.Limits limits = null;
    Resources.Limits reservations = null;
    if (r.has("limits")) {
      JsonNode l = r.get("limits");
      limits = new Resources.Limits(cpus(l), memory(l), l.hasNonNull("pids") && l.get("pids").asLong() != 0
          ? l.get("pids").asLong() : null, null);
    }
    if (r.has("reservations")) {
      JsonNode l = r.get("reservations");
      JsonNode generic = null;
      if (l.has("generic_resources") && !l.get("generic_resources").isEmpty()) {
        var arr = F.arrayNode();
        for (JsonNode g : l.get("generic_resources")) {
          ObjectNode entry = arr.addObject();
          JsonNode d = g.get("discrete_resource_spec");
          if (d != null) {
            entry.putObject("DiscreteResourceSpec").put("Kind", d.path("kind").asText()).put("Value", d.path("value").asLong());
          }
        }
        generic = arr;
      }
      reservations = new Resources.Limits(cpus(l), memory(l), null, generic);
    }
    return new Resources(limits, reservations);
  }

  private static Long cpus(JsonNode l) {
    if (!l.hasNonNull("cpus")) return null;
    long v = Units.nanoCpus(l.get("cpus").asText());
    return v == 0 ? null : v;
  }

  private static Long memory(JsonNode l) {
    if (!l.hasNonNull("memory")) return null;
    JsonNode m = l.get("memory");
    long v = m.isNumber() ? m.asLong() : Units.bytes(m.asText());
    return v == 0 ? null : v;
  }

  /** deploy.restart_policy, or else the legacy {@code restart:} key, as docker does. */
  private static RestartPolicy restartPolicy(JsonNode s) {
    JsonNode p = s.path("deploy").get("restart_policy");
    if (p != null && !p.isNull()) {
      return new RestartPolicy(text(p, "condition"), durPtr(p, "delay"),
          p.hasNonNull("max_attempts") ? p.get("max_attempts").asLong() : null, durPtr(p, "window"));
    }
    String restart = text(s, "restart");
    if (restart == null) return null;
    String[] parts = restart.split(":", 2);
    Long attempts = null;
    if (parts.length == 2) {
      try {
        long n = Long.parseLong(parts[1]);
        if (n < 0) throw new IllegalArgumentException("invalid restart policy: maximum retry count cannot be negative");
        attempts = n == 0 ? null : n;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("invalid restart policy: maximum retry count must be an integer");
      }
    }
    return switch (parts[0]) {
      case "no", "" -> null;
      case "always", "unless-stopped" -> new RestartPolicy(RestartPolicy.ANY, null, attempts, null);
      case "on-failure" -> new RestartPolicy(RestartPolicy.ON_FAILURE, null, attempts, null);
      default -> throw new IllegalArgumentException("invalid restart policy: unknown policy '" + parts[0]
          + "' (must be one of 'no', 'always', 'on-failure', or 'unless-stopped')");
    };
  }

  private static Placement placement(JsonNode p) {
    List<Placement.Preference> prefs = new ArrayList<>();
    for (JsonNode pref : p.path("preferences")) {
      prefs.add(new Placement.Preference(new Placement.Spread(pref.path("spread").asText())));
    }
    long max = p.path("max_replicas_per_node").asLong(0);
    return new Placement(nullIfEmpty(strings(p.get("constraints"))), nullIfEmpty(prefs), max == 0 ? null : max, null);
  }

  private static ServiceMode mode(JsonNode deploy) {
    String mode = deploy.path("mode").asText("");
    Long replicas = deploy.hasNonNull("replicas") ? deploy.get("replicas").asLong() : null;
    switch (mode) {
      case "global", "global-job" -> {
        if (replicas != null) {
          throw new IllegalArgumentException("replicas can only be used with replicated or replicated-job mode");
        }
        return mode.equals("global")
            ? new ServiceMode(null, new ServiceMode.Global(), null, null)
            : new ServiceMode(null, null, null, new ServiceMode.Global());
      }
      case "replicated-job" -> {
        return new ServiceMode(null, null, new ServiceMode.ReplicatedJob(replicas, replicas), null);
      }
      case "replicated", "" -> {
        return new ServiceMode(new ServiceMode.Replicated(replicas), null, null, null);
      }
      default -> throw new IllegalArgumentException("unknown mode: " + mode);
    }
  }

  private static UpdateConfig update(JsonNode u) {
    if (u == null || u.isNull()) return null;
    long parallelism = u.hasNonNull("parallelism") ? u.get("parallelism").asLong() : 1;
    return new UpdateConfig(parallelism, dur(u, "delay"), text(u, "failure_action"), dur(u, "monitor"),
        u.path("max_failure_ratio").asDouble(0), text(u, "order"));
  }

  private static EndpointSpec endpoint(JsonNode s, JsonNode deploy) {
    List<PortConfig> ports = new ArrayList<>();
    for (JsonNode p : s.path("ports")) {
      int published = p.path("published").asInt(0);
      ports.add(new PortConfig(null, text(p, "protocol"), p.path("target").asInt(),
          published == 0 ? null : published, text(p, "mode")));
    }
    ports.sort(Comparator.comparingInt(PortConfig::published).thenComparingInt(PortConfig::target)
        .thenComparing(PortConfig::protocolOrDefault).thenComparing(PortConfig::publishModeOrDefault));
    String mode = text(deploy, "endpoint_mode");
    return new EndpointSpec(mode == null ? null : mode.toLowerCase(Locale.ROOT), nullIfEmpty(ports));
  }

  private List<NetworkAttachmentConfig> networks(String service, JsonNode s) {
    JsonNode nets = s.get("networks");
    Map<String, JsonNode> wanted = new TreeMap<>();
    if (nets == null || nets.isEmpty()) wanted.put("default", null);
    else nets.fields().forEachRemaining(e -> wanted.put(e.getKey(), e.getValue()));
    List<NetworkAttachmentConfig> out = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : wanted.entrySet()) {
      JsonNode decl = model.path("networks").get(e.getKey());
      if (decl == null && !e.getKey().equals("default")) {
        throw new IllegalArgumentException("undefined network \"" + e.getKey() + "\"");
      }
      String target = StackConverter.objectName(stack, e.getKey(), decl);
      List<String> aliases = new ArrayList<>();
      Map<String, String> driverOpts = null;
      if (e.getValue() != null && !e.getValue().isNull()) {
        e.getValue().path("aliases").forEach(a -> aliases.add(a.asText()));
        driverOpts = stringMapOrNull(e.getValue().get("driver_opts"));
      }
      // Like docker: the service name is an alias on user-defined networks, not on host/bridge.
      if (!List.of("default", "bridge", "host", "none").contains(target) && !target.startsWith("container:")) {
        aliases.add(service);
      }
      out.add(new NetworkAttachmentConfig(target, aliases, driverOpts));
    }
    out.sort(Comparator.comparing(NetworkAttachmentConfig::target));
    return out;
  }

  private List<Mount> mounts(JsonNode s) {
    List<Mount> out = new ArrayList<>();
    int i = 0;
    for (JsonNode v : s.path("volumes")) {
      try {
        out.add(mount(v));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("volumes." + i + ": " + e.getMessage());
      }
      i++;
    }
    for (JsonNode t : s.path("tmpfs")) {
      String[] parts = t.asText().split(":", 2);
      Long size = null;
      Integer mode = null;
      if (parts.length == 2) {
        for (String opt : parts[1].split(",")) {
          if (opt.startsWith("size=")) size = Units.bytes(opt.substring(5));
          else if (opt.startsWith("mode=")) mode = Integer.parseInt(opt.substring(5), 8);
        }
      }
      out.add(new Mount(parts[0], null, "tmpfs", null, null, null, null,
          size == null && mode == null ? null : new Mount.TmpfsOptions(size, mode, null), null));
    }
    return out;
  }

  private Mount mount(JsonNode v) {
    String type = v.path("type").asText("volume");
    String source = text(v, "source");
    String target = text(v, "target");
    Boolean readOnly = v.path("read_only").asBoolean(false) ? Boolean.TRUE : null;
    String consistency = text(v, "consistency");
    switch (type) {
      case "volume" -> {
        if (v.has("tmpfs")) throw new IllegalArgumentException("tmpfs options are incompatible with type volume");
        if (v.has("bind")) throw new IllegalArgumentException("bind options are incompatible with type volume");
        if (source == null) return new Mount(target, null, type, readOnly, consistency, null, null, null, null);
        JsonNode decl = model.path("volumes").get(source);
        if (decl == null) throw new IllegalArgumentException("undefined volume \"" + source + "\"");
        Boolean noCopy = v.path("volume").path("nocopy").asBoolean(false) ? Boolean.TRUE : null;
        String subpath = text(v.path("volume"), "subpath");
        String name = StackConverter.objectName(stack, source, decl);
        if (decl.path("external").asBoolean(false)) {
          return new Mount(target, name, type, readOnly, consistency, null,
              new Mount.VolumeOptions(noCopy, null, null, subpath), null, null);
        }
        Driver driver = null;
        if (decl.hasNonNull("driver") || decl.hasNonNull("driver_opts")) {
          driver = new Driver(text(decl, "driver"), stringMapOrNull(decl.get("driver_opts")));
        }
        return new Mount(target, name, type, readOnly, consistency, null,
            new Mount.VolumeOptions(noCopy, withStackLabel(decl.get("labels")), driver, subpath), null, null);
      }
      case "bind" -> {
        if (source == null) throw new IllegalArgumentException("invalid bind source, source cannot be empty");
        if (v.has("volume")) throw new IllegalArgumentException("volume options are incompatible with type bind");
        if (v.has("tmpfs")) throw new IllegalArgumentException("tmpfs options are incompatible with type bind");
        JsonNode bindOptions = null;
        if (v.has("bind") && v.get("bind").hasNonNull("propagation")) {
          bindOptions = F.objectNode().put("Propagation", v.get("bind").get("propagation").asText());
        }
        return new Mount(target, source, type, readOnly, consistency, bindOptions, null, null, null);
      }
      case "tmpfs" -> {
        if (source != null) throw new IllegalArgumentException("invalid tmpfs source, source must be empty");
        if (v.has("bind")) throw new IllegalArgumentException("bind options are incompatible with type tmpfs");
        if (v.has("volume")) throw new IllegalArgumentException("volume options are incompatible with type tmpfs");
        Mount.TmpfsOptions opts = null;
        if (v.has("tmpfs")) {
          JsonNode size = v.get("tmpfs").get("size");
          Long bytes = size == null ? null : size.isNumber() ? size.asLong() : Units.bytes(size.asText());
          Integer mode = v.get("tmpfs").hasNonNull("mode") ? v.get("tmpfs").get("mode").asInt() : null;
          opts = new Mount.TmpfsOptions(bytes, mode, null);
        }
        return new Mount(target, null, type, readOnly, consistency, null, null, opts, null);
      }
      default -> throw new IllegalArgumentException("volume type must be volume, bind or tmpfs, not " + type);
    }
  }

  private List<SecretReference> secrets(JsonNode refs) {
    List<SecretReference> out = new ArrayList<>();
    if (refs == null) return out;
    for (JsonNode r : refs) {
      String source = r.path("source").asText();
      JsonNode decl = model.path("secrets").get(source);
      if (decl == null) throw new IllegalArgumentException("undefined secret \"" + source + "\"");
      out.add(new SecretReference(fileTarget(r, source), null, StackConverter.objectName(stack, source, decl)));
    }
    out.sort(Comparator.comparing(SecretReference::secretName));
    return out;
  }

  private List<ConfigReference> configs(JsonNode refs) {
    List<ConfigReference> out = new ArrayList<>();
    if (refs == null) return out;
    for (JsonNode r : refs) {
      String source = r.path("source").asText();
      JsonNode decl = model.path("configs").get(source);
      if (decl == null) throw new IllegalArgumentException("undefined config \"" + source + "\"");
      out.add(new ConfigReference(fileTarget(r, source), null, null, StackConverter.objectName(stack, source, decl)));
    }
    out.sort(Comparator.comparing(ConfigReference::configName));
    return out;
  }

  private static SecretReference.FileTarget fileTarget(JsonNode r, String source) {
    String target = text(r, "target");
    String uid = text(r, "uid");
    String gid = text(r, "gid");
    int mode = r.hasNonNull("mode") ? r.get("mode").asInt() : 0444;
    return new SecretReference.FileTarget(target == null ? source : target, uid == null ? "0" : uid,
        gid == null ? "0" : gid, mode);
  }
}
