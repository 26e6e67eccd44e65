package io.shoal.cli.command.stack;

import io.shoal.cli.Cli;
import io.shoal.cli.CommandFailure;
import io.shoal.cli.UsageException;
import io.shoal.cli.format.Units;
import io.shoal.stack.StackException;
import io.shoal.stack.convert.StackConverter;
import io.shoal.stack.convert.StackSpecs;
import io.shoal.stack.load.ComposeLoader;
import io.shoal.stack.load.ComposeProject;
import io.shoal.stack.load.ComposeSource;
import io.shoal.stack.plan.DependencyOrder;
import io.shoal.stack.plan.StackExecutor;
import io.shoal.stack.plan.StackPlan;
import io.shoal.stack.plan.StackPlanner;
import io.shoal.stack.plan.Step;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code shoal stack deploy -c FILE... [--prune] [--env-file F] STACK}.
 *
 * <p>Everything that can be checked is checked before the first write: flags, the stack name,
 * that the daemon is a manager, the files (YAML, schema, variables), the mapping, externals,
 * {@code depends_on} cycles and immutable secrets (the planner). Only then does the
 * {@link StackExecutor} write, in dependency order, waiting for each {@code depends_on}
 * condition — Shoal's addition; docker ignores depends_on.
 *
 * <p>Unlike docker 26+, no "Since --detach=false was not specified..." notice is printed: Shoal
 * has no plan to change the default, so the notice would only be noise.
 */
@Command(name = "deploy", aliases = "up", description = "Deploy a new stack or update an existing stack",
    mixinStandardHelpOptions = true, sortOptions = true)
public final class StackDeploy implements Callable<Integer> {
  // docker's rule for a stack name: it prefixes object names, so it must be a valid name start
  private static final Pattern STACK_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");

  private final Cli cli;

  @Option(names = {"-c", "--compose-file"}, paramLabel = "strings", split = ",", description = "Path to a Compose file, or \"-\" to read from stdin")
  List<String> composeFiles = new ArrayList<>();
  @Option(names = "--env-file", paramLabel = "string", description = "Read variables from this file instead of .env beside the first Compose file")
  String envFile;
  @Option(names = "--prune", description = "Prune services that are no longer referenced") boolean prune;
  @Option(names = {"-d", "--detach"}, arity = "0..1", paramLabel = "bool", description = "Exit immediately instead of waiting for the stack services to converge (default true)")
  boolean detach = true;
  // accepted for docker's grammar; without --detach=false there is no progress display to quiet
  @Option(names = {"-q", "--quiet"}, description = "Suppress progress output") boolean quiet;
  @Option(names = "--resolve-image", paramLabel = "string", description = "Query the registry to resolve image digest and supported platforms (\"always\", \"changed\", \"never\") (default \"always\")")
  String resolveImage = "always";
  @Option(names = "--with-registry-auth", description = "Send registry authentication details to Swarm agents") boolean withRegistryAuth;
  @Option(names = "--depends-on-timeout", paramLabel = "duration", description = "How long to wait for a depends_on condition (default 5m)")
  String dependsOnTimeout = "5m";
  @Parameters(paramLabel = "STACK") String stack;

  public StackDeploy(Cli cli) {
    this.cli = cli;
  }

  /** Parses flags that need it; throws {@link UsageException}. Visible for tests. */
  Duration timeout() {
    try {
      return Duration.ofNanos(Units.parseDuration(dependsOnTimeout));
    } catch (IllegalArgumentException e) {
      throw UsageException.badValue("--depends-on-timeout", dependsOnTimeout, e.getMessage());
    }
  }

  void validate() {
    if (composeFiles.isEmpty()) {
      throw new UsageException("Please specify a Compose file (with --compose-file).");
    }
    if (!STACK_NAME.matcher(stack).matches()) {
      throw new UsageException("invalid stack name: \"" + stack + "\"");
    }
    if (!List.of("always", "changed", "never").contains(resolveImage)) {
      throw UsageException.badValue("--resolve-image", resolveImage, "must be one of always, changed, never");
    }
  }

  /** The files as given; {@code -} is standard input, its relative paths taken from the working directory. */
  private List<ComposeSource> sources() {
    List<ComposeSource> out = new ArrayList<>();
    for (String f : composeFiles) {
      try {
        out.add(f.equals("-")
            ? ComposeSource.ofText("-", new String(cli.stdin().readAllBytes(), StandardCharsets.UTF_8), null)
            : ComposeSource.of(Path.of(f)));
      } catch (NoSuchFileException e) {
        throw new CommandFailure("open " + f + ": no such file or directory");
      } catch (IOException e) {
        throw new CommandFailure("cannot read " + f + ": " + e.getMessage());
      }
    }
    return out;
  }

  /** Loads and converts the files: all of the file checking, no daemon needed. */
  StackSpecs specs() {
    ComposeLoader.Builder b = ComposeLoader.builder().environment(cli.env());
    if (envFile != null) b.envFile(Path.of(envFile));
    ComposeProject project = b.build().loadSources(sources());
    // docker prints each warning followed by a blank line, on stderr, before anything is written
    for (String w : project.warnings()) {
      cli.err().println(w);
      cli.err().println();
    }
    StackSpecs specs = StackConverter.convert(stack, project);
    // a depends_on cycle is a fault of the files alone: say so before asking the daemon anything
    DependencyOrder.sort(specs.services());
    return specs;
  }

  /**
   * The state lists only the stack's services, so a service of the same name outside the stack
   * would make a create fail half way; refuse it before the first write instead.
   */
  private void refuseForeignServices(StackPlan plan) {
    java.util.Set<String> creating = new java.util.HashSet<>();
    plan.steps().stream().filter(s -> s instanceof Step.CreateService)
        .forEach(s -> creating.add(((Step.CreateService) s).service().spec().name()));
    if (creating.isEmpty()) return;
    List<String> clash = cli.api().services(null, false).stream().map(io.shoal.api.model.Service::name)
        .filter(creating::contains).sorted().toList();
    if (!clash.isEmpty()) {
      throw new CommandFailure("service " + String.join(", ", clash) + " already exists and is not part of stack "
          + stack + "; remove or rename it first");
    }
  }

  @Override
  public Integer call() {
    validate();
    Duration timeout = timeout();
    if (composeFiles.stream().filter("-"::equals).count() > 1) {
      throw new UsageException("standard input (-) can be given as a Compose file only once");
    }
    try {
      StackSpecs specs = specs();
      if (!cli.api().info().path("Swarm").path("ControlAvailable").asBoolean(false)) {
        throw new CommandFailure("this node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\""
            + " to connect this node to swarm and try again");
      }
      ApiStackTarget target = new ApiStackTarget(cli.api(), cli.err()::println);
      StackPlan plan = StackPlanner.plan(specs, target.state(stack), prune);
      refuseForeignServices(plan);
      new StackExecutor(target, cli.clock(), cli.sleeper()::sleep, timeout, Duration.ofSeconds(1),
          cli.out()::println).execute(plan);
      return 0;
    } catch (StackException e) {
      throw new CommandFailure(e.getMessage());
    }
  }
}
