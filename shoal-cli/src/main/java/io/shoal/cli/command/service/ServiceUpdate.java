package io.shoal.cli.command.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.shoal.api.model.ContainerSpec;
import io.shoal.api.model.EndpointSpec;
import io.shoal.api.model.Mount;
import io.shoal.api.model.NetworkAttachmentConfig;
import io.shoal.api.model.Placement;
import io.shoal.api.model.PortConfig;
import io.shoal.api.model.Service;
import io.shoal.api.model.ServiceSpec;
import io.shoal.api.model.TaskSpec;
import io.shoal.cli.Cli;
import io.shoal.cli.UsageException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code shoal service update [OPTIONS] SERVICE}: reads the service, changes only what the flags
 * name, and posts the spec back with the version it read ({@code ?version=N}), so a concurrent
 * change makes the daemon answer 409 instead of being overwritten.
 */
@Command(name = "update", description = "Update a service", mixinStandardHelpOptions = true,
    sortOptions = true, customSynopsis = "Usage: shoal service update [OPTIONS] SERVICE")
public final class ServiceUpdate implements Callable<Integer> {
  private final Cli cli;

  @Mixin
  SpecFlags flags = new SpecFlags();

  @Option(names = "--image", paramLabel = "string", description = "Service image tag") String image;
  @Option(names = "--args", paramLabel = "command", description = "Service command args") String args;
  @Option(names = "--force", description = "Force update even if no changes require it") boolean force;
  @Option(names = "--env-add", paramLabel = "list", description = "Add or update an environment variable") List<String> envAdd = new ArrayList<>();
  @Option(names = "--env-rm", paramLabel = "list", description = "Remove an environment variable") List<String> envRm = new ArrayList<>();
  @Option(names = "--label-add", paramLabel = "list", description = "Add or update a service label") List<String> labelAdd = new ArrayList<>();
  @Option(names = "--label-rm", paramLabel = "list", description = "Remove a label by its key") List<String> labelRm = new ArrayList<>();
  @Option(names = "--container-label-add", paramLabel = "list", description = "Add or update a container label") List<String> containerLabelAdd = new ArrayList<>();
  @Option(names = "--container-label-rm", paramLabel = "list", description = "Remove a container label by its key") List<String> containerLabelRm = new ArrayList<>();
  @Option(names = "--constraint-add", paramLabel = "list", description = "Add or update a placement constraint") List<String> constraintAdd = new ArrayList<>();
  @Option(names = "--constraint-rm", paramLabel = "list", description = "Remove a constraint") List<String> constraintRm = new ArrayList<>();
  @Option(names = "--placement-pref-add", paramLabel = "pref", description = "Add a placement preference") List<String> prefAdd = new ArrayList<>();
  @Option(names = "--placement-pref-rm", paramLabel = "pref", description = "Remove a placement preference") List<String> prefRm = new ArrayList<>();
  @Option(names = "--publish-add", paramLabel = "port", description = "Add or update a published port") List<String> publishAdd = new ArrayList<>();
  @Option(names = "--publish-rm", paramLabel = "port", description = "Remove a published port by its target port") List<String> publishRm = new ArrayList<>();
  @Option(names = "--mount-add", paramLabel = "mount", description = "Add or update a mount on a service") List<String> mountAdd = new ArrayList<>();
  @Option(names = "--mount-rm", paramLabel = "list", description = "Remove a mount by its target path") List<String> mountRm = new ArrayList<>();
  @Option(names = "--network-add", paramLabel = "network", description = "Add a network") List<String> networkAdd = new ArrayList<>();
  @Option(names = "--network-rm", paramLabel = "list", description = "Remove a network") List<String> networkRm = new ArrayList<>();

  @Parameters(index = "0", paramLabel = "SERVICE") String service;

  public ServiceUpdate(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() throws Exception {
    // Validate every value against a throwaway spec first, so a bad flag fails before any request.
    // Its mode accepts the mode-specific flags; whether they fit the real service's mode is
    // checked on the real spec below, still before anything is written.
    io.shoal.api.model.ServiceMode probe = flags.maxConcurrent != null
        ? new io.shoal.api.model.ServiceMode(null, null, new io.shoal.api.model.ServiceMode.ReplicatedJob(1L, 1L), null)
        : io.shoal.api.model.ServiceMode.replicas(1);
    apply(new ServiceSpec(null, null, null, probe, null, null, null, null));
    Service current = cli.api().service(service);
    ServiceSpec updated = apply(current.spec());
    JsonNode r = cli.api().updateService(current.id(), current.version().index(), updated);
    for (JsonNode w : r.path("Warnings")) {
      cli.err().println(w.asText());
    }
    cli.out().println(service);
    if (!flags.detach()) {
      ServiceSupport.awaitConverged(cli, current.id(), flags.quiet, true);
    }
    return 0;
  }

  /** The spec after this command's changes. Pure; throws {@link UsageException} on bad values. */
  public ServiceSpec apply(ServiceSpec spec) {
    ServiceSpec s = flags.apply(spec);
    TaskSpec task = Rec.orEmpty(s.taskTemplate(), TaskSpec.class);
    ContainerSpec c = Rec.orEmpty(task.containerSpec(), ContainerSpec.class);
    if (image != null) c = c.withImage(image);
    if (args != null) c = Rec.with(c, "args", args.isBlank() ? null : ShellWords.split("--args", args));
    if (!envAdd.isEmpty() || !envRm.isEmpty()) {
      Map<String, String> env = new LinkedHashMap<>();
      for (String e : c.env() == null ? List.<String>of() : c.env()) {
        env.put(SpecParsers.envKey(e), e);
      }
      for (String e : envAdd) {
        String entry = SpecParsers.checkEnv("--env-add", e, cli.env());
        env.put(SpecParsers.envKey(entry), entry);
      }
      for (String k : envRm) {
        env.remove(SpecParsers.envKey(k));
      }
      c = c.withEnv(env.isEmpty() ? null : new ArrayList<>(env.values()));
    }
    if (!containerLabelAdd.isEmpty() || !containerLabelRm.isEmpty()) {
      c = Rec.with(c, "labels", editMap(c.labels(), "--container-label-add", containerLabelAdd, containerLabelRm));
    }
    if (!mountAdd.isEmpty() || !mountRm.isEmpty()) {
      List<Mount> mounts = new ArrayList<>(c.mounts() == null ? List.of() : c.mounts());
      for (String m : mountAdd) {
        Mount add = SpecParsers.mount("--mount-add", m);
        mounts.removeIf(x -> Objects.equals(x.target(), add.target()));
        mounts.add(add);
      }
      mounts.removeIf(x -> mountRm.contains(x.target()));
      c = c.withMounts(mounts.isEmpty() ? null : mounts);
    }
    task = task.withContainerSpec(c);

    if (!constraintAdd.isEmpty() || !constraintRm.isEmpty() || !prefAdd.isEmpty() || !prefRm.isEmpty()) {
      Placement p = Rec.orEmpty(task.placement(), Placement.class);
      List<String> cons = editList(p.constraints(), constraintAdd, constraintRm, Function.identity());
      List<Placement.Preference> prefs = new ArrayList<>(p.preferences() == null ? List.of() : p.preferences());
      for (String a : prefAdd) {
        Placement.Preference pref = SpecParsers.placementPref("--placement-pref-add", a);
        if (!prefs.contains(pref)) {
          prefs.add(pref);
        }
      }
      for (String r : prefRm) {
        prefs.remove(SpecParsers.placementPref("--placement-pref-rm", r));
      }
      p = Rec.with(Rec.with(p, "constraints", cons.isEmpty() ? null : cons), "preferences", prefs.isEmpty() ? null : prefs);
      task = task.withPlacement(p);
    }
    if (!networkAdd.isEmpty() || !networkRm.isEmpty()) {
      List<NetworkAttachmentConfig> nets = new ArrayList<>(task.networks() == null ? List.of() : task.networks());
      for (String n : networkAdd) {
        if (nets.stream().noneMatch(x -> n.equals(x.target()))) {
          nets.add(new NetworkAttachmentConfig(n, null, null));
        }
      }
      nets.removeIf(x -> networkRm.contains(x.target()));
      task = task.withNetworks(nets.isEmpty() ? null : nets);
    }
    if (force) {
      // ForceUpdate is a counter: any change makes the orchestrator replace every task.
      task = Rec.with(task, "forceUpdate", (task.forceUpdate() == null ? 0 : task.forceUpdate()) + 1);
    }
    s = s.withTaskTemplate(task);

    if (!labelAdd.isEmpty() || !labelRm.isEmpty()) {
      s = s.withLabels(editMap(s.labels(), "--label-add", labelAdd, labelRm));
    }
    if (!publishAdd.isEmpty() || !publishRm.isEmpty()) {
      EndpointSpec e = Rec.orEmpty(s.endpointSpec(), EndpointSpec.class);
      List<PortConfig> ports = new ArrayList<>(e.portsOrEmpty());
      for (String r : publishRm) {
        PortConfig rm = removalKey(r);
        ports.removeIf(p -> p.target() == rm.target() && p.protocolOrDefault().equals(rm.protocolOrDefault()));
      }
      for (String a : publishAdd) {
        for (PortConfig add : SpecParsers.publish("--publish-add", a)) {
          // A published port is unique per protocol: adding it again replaces the mapping.
          ports.removeIf(p -> p.published() != 0 && p.published() == add.published()
              && p.protocolOrDefault().equals(add.protocolOrDefault()));
          ports.add(add);
        }
      }
      s = s.withEndpointSpec(new EndpointSpec(e.mode() == null ? "vip" : e.mode(), ports.isEmpty() ? null : ports));
    }
    return s;
  }

  /** {@code --publish-rm} takes {@code 80}, {@code 80/udp} or {@code 8080:80}: the target counts. */
  private static PortConfig removalKey(String v) {
    List<PortConfig> parsed = SpecParsers.publish("--publish-rm", v);
    return parsed.get(0);
  }

  private static Map<String, String> editMap(Map<String, String> current, String flag, List<String> add, List<String> rm) {
    Map<String, String> m = new LinkedHashMap<>(current == null ? Map.of() : current);
    m.putAll(SpecParsers.keyValues(flag, add));
    for (String k : rm) {
      m.remove(SpecParsers.envKey(k));
    }
    return m;
  }

  private static <T> List<T> editList(List<T> current, List<String> add, List<String> rm, Function<String, T> make) {
    List<T> out = new ArrayList<>(current == null ? List.of() : current);
    for (String a : add) {
      T v = make.apply(a);
      if (!out.contains(v)) {
        out.add(v);
      }
    }
    for (String r : rm) {
      out.remove(make.apply(r));
    }
    return out;
  }
}
