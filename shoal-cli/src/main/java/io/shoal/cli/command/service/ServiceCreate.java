package io.shoal.cli.command.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.shoal.api.model.ContainerSpec;
import io.shoal.api.model.EndpointSpec;
import io.shoal.api.model.Mount;
import io.shoal.api.model.NetworkAttachmentConfig;
import io.shoal.api.model.Placement;
import io.shoal.api.model.PortConfig;
import io.shoal.api.model.ServiceMode;
import io.shoal.api.model.ServiceSpec;
import io.shoal.api.model.TaskSpec;
import io.shoal.api.model.UpdateConfig;
import io.shoal.cli.Cli;
import io.shoal.cli.UsageException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code shoal service create [OPTIONS] IMAGE [COMMAND] [ARG...]}. Builds a ServiceSpec from the
 * flags (validated first; nothing is sent on a bad flag), posts it, prints the new id and, unless
 * {@code --detach}, waits for convergence with a progress display.
 */
@Command(name = "create", description = "Create a new service", mixinStandardHelpOptions = true,
    sortOptions = true, customSynopsis = "Usage: shoal service create [OPTIONS] IMAGE [COMMAND] [ARG...]")
public final class ServiceCreate implements Callable<Integer> {
  private final Cli cli;

  @Mixin
  SpecFlags flags = new SpecFlags();

  @Option(names = "--name", paramLabel = "string", description = "Service name") String name;
  @Option(names = "--mode", paramLabel = "string", description = "Service mode (\"replicated\", \"global\", \"replicated-job\", \"global-job\")") String mode;
  @Option(names = {"-e", "--env"}, paramLabel = "list", description = "Set environment variables") List<String> env = new ArrayList<>();
  @Option(names = {"-l", "--label"}, paramLabel = "list", description = "Service labels") List<String> labels = new ArrayList<>();
  @Option(names = "--container-label", paramLabel = "list", description = "Container labels") List<String> containerLabels = new ArrayList<>();
  @Option(names = "--constraint", paramLabel = "list", description = "Placement constraints") List<String> constraints = new ArrayList<>();
  @Option(names = "--placement-pref", paramLabel = "pref", description = "Add a placement preference") List<String> placementPrefs = new ArrayList<>();
  @Option(names = {"-p", "--publish"}, paramLabel = "port", description = "Publish a port as a node port") List<String> publish = new ArrayList<>();
  @Option(names = "--mount", paramLabel = "mount", description = "Attach a filesystem mount to the service") List<String> mounts = new ArrayList<>();
  @Option(names = "--network", paramLabel = "network", description = "Network attachments") List<String> networks = new ArrayList<>();
  @Option(names = "--secret", paramLabel = "secret", description = "Specify secrets to expose to the service") List<String> secrets = new ArrayList<>();
  @Option(names = "--config", paramLabel = "config", description = "Specify configurations to expose to the service") List<String> configs = new ArrayList<>();

  @Parameters(index = "0", paramLabel = "IMAGE", description = "Image to run") String image;
  @Parameters(index = "1..*", paramLabel = "COMMAND", arity = "0..*", description = "Command and arguments") List<String> command = new ArrayList<>();

  public ServiceCreate(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() throws Exception {
    ServiceSpec spec = buildSpec();
    spec = FileRefs.resolve(cli.api(), spec, secretRefs(), configRefs());
    JsonNode created = cli.api().createService(spec);
    for (JsonNode w : created.path("Warnings")) {
      cli.err().println(w.asText());
    }
    String id = created.path("ID").asText();
    cli.out().println(id);
    if (!flags.detach()) {
      ServiceSupport.awaitConverged(cli, id, flags.quiet, false);
    }
    return 0;
  }

  List<FileRefs.Ref> secretRefs() {
    List<FileRefs.Ref> refs = secrets.stream().map(v -> FileRefs.parse("--secret", v)).toList();
    FileRefs.checkTargets("secret", refs);
    return refs;
  }

  List<FileRefs.Ref> configRefs() {
    List<FileRefs.Ref> refs = configs.stream().map(v -> FileRefs.parse("--config", v)).toList();
    FileRefs.checkTargets("config", refs);
    return refs;
  }

  /**
   * The spec this command line asks for, secrets and configs not yet included (their ids need the
   * daemon); throws {@link UsageException} on any bad value, {@code --secret}/{@code --config} too.
   */
  public ServiceSpec buildSpec() {
    secretRefs();
    configRefs();
    if (image == null || image.isBlank()) {
      throw new UsageException("\"shoal service create\" requires at least 1 argument.");
    }
    ServiceMode serviceMode = switch (mode == null ? "replicated" : mode) {
      case "replicated" -> ServiceMode.replicas(1);
      case "global" -> ServiceMode.globalMode();
      case "replicated-job" -> new ServiceMode(null, null, new ServiceMode.ReplicatedJob(1L, 1L), null);
      case "global-job" -> new ServiceMode(null, null, null, new ServiceMode.Global());
      default -> throw UsageException.badValue("--mode", mode,
          "must be one of replicated, global, replicated-job, global-job");
    };

    ContainerSpec c = ContainerSpec.ofImage(image);
    if (!command.isEmpty()) {
      c = Rec.with(c, "args", command);
    }
    if (!env.isEmpty()) {
      c = c.withEnv(env.stream().map(e -> SpecParsers.checkEnv("--env", e, cli.env())).toList());
    }
    if (!containerLabels.isEmpty()) {
      c = Rec.with(c, "labels", SpecParsers.keyValues("--container-label", containerLabels));
    }
    if (!mounts.isEmpty()) {
      List<Mount> ms = new ArrayList<>();
      for (String m : mounts) {
        ms.add(SpecParsers.mount("--mount", m));
      }
      c = c.withMounts(ms);
    }
    TaskSpec task = TaskSpec.of(c);
    if (!constraints.isEmpty() || !placementPrefs.isEmpty()) {
      List<Placement.Preference> prefs = new ArrayList<>();
      for (String p : placementPrefs) {
        prefs.add(SpecParsers.placementPref("--placement-pref", p));
      }
      task = task.withPlacement(new Placement(constraints.isEmpty() ? null : constraints,
          prefs.isEmpty() ? null : prefs, null, null));
    }
    if (!networks.isEmpty()) {
      task = task.withNetworks(networks.stream().map(n -> new NetworkAttachmentConfig(n, null, null)).toList());
    }
    EndpointSpec endpoint = null;
    if (!publish.isEmpty()) {
      List<PortConfig> ports = new ArrayList<>();
      for (String p : publish) {
        ports.addAll(SpecParsers.publish("--publish", p));
      }
      endpoint = new EndpointSpec("vip", ports);
    }
    // docker sends the update and rollback policies in full on create, so inspect shows them.
    ServiceSpec spec = new ServiceSpec(name, SpecParsers.keyValues("--label", labels), task,
        serviceMode, UpdateConfig.DEFAULT, UpdateConfig.DEFAULT, null, endpoint);
    if (flags.replicas == null && serviceMode.replicatedJob() != null && flags.maxConcurrent != null) {
      // a job's completions default to its concurrency
      spec = spec.withMode(new ServiceMode(null, null, new ServiceMode.ReplicatedJob(
          SpecFlags.uint("--max-concurrent", flags.maxConcurrent), null), null));
    }
    return flags.apply(spec);
  }
}
