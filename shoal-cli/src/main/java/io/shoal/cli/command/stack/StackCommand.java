package io.shoal.cli.command.stack;

import io.shoal.api.model.Service;
import io.shoal.api.model.Task;
import io.shoal.cli.Cli;
import io.shoal.cli.CommandFailure;
import io.shoal.cli.UsageException;
import io.shoal.cli.client.Filters;
import io.shoal.cli.command.service.ServiceLs;
import io.shoal.cli.command.service.ServicePs;
import io.shoal.cli.command.service.ServiceSupport;
import io.shoal.cli.format.Table;
import io.shoal.cli.format.TaskTable;
import io.shoal.cli.format.Template;
import io.shoal.stack.convert.StackConverter;
import io.shoal.stack.plan.StackPlanner;
import io.shoal.stack.plan.Step;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code shoal stack deploy|ls|ps|services|rm}, with {@code docker stack}'s output. */
@Command(name = "stack", description = "Manage Swarm stacks", mixinStandardHelpOptions = true)
public final class StackCommand implements Runnable {
  /** Subcommands by name and alias; registered by ShoalMain only when used. */
  public static final Map<String, Class<?>> SUBCOMMANDS = io.shoal.cli.Commands.of(
      "deploy", StackDeploy.class, "up", StackDeploy.class,
      "ls", Ls.class, "list", Ls.class,
      "ps", Ps.class,
      "services", Services.class,
      "rm", Rm.class, "remove", Rm.class, "down", Rm.class);

  private final Cli cli;

  @Spec
  CommandSpec spec;

  public StackCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public void run() {
    spec.commandLine().usage(cli.out());
  }

  static Template template(String format, Iterable<String> fields) {
    try {
      return format == null ? null : Template.parse(format, fields);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  static Filters filters(String stack, List<String> given) {
    try {
      return ApiStackTarget.stackFilter(stack).addAll(given);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  /** {@code stack ls}: NAME SERVICES, one row per namespace label value among services. */
  @Command(name = "ls", aliases = "list", description = "List stacks", mixinStandardHelpOptions = true)
  public static final class Ls implements Callable<Integer> {
    static final Map<String, String> HEADERS = new LinkedHashMap<>();

    static {
      HEADERS.put("Name", "NAME");
      HEADERS.put("Services", "SERVICES");
    }

    private final Cli cli;

    @Option(names = "--format", paramLabel = "string", description = "Format output using a template with {{.Field}} placeholders") String format;

    public Ls(Cli cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() {
      Template t = template(format, HEADERS.keySet());
      List<Service> services = cli.api().services(Filters.of("label", StackConverter.NAMESPACE_LABEL), false);
      cli.out().print(render(rows(services), t));
      return 0;
    }

    static List<Map<String, String>> rows(List<Service> services) {
      Map<String, Integer> counts = new TreeMap<>();
      for (Service s : services) {
        String ns = s.spec().labels() == null ? null : s.spec().labels().get(StackConverter.NAMESPACE_LABEL);
        if (ns != null) counts.merge(ns, 1, Integer::sum);
      }
      List<Map<String, String>> rows = new ArrayList<>();
      counts.forEach((name, n) -> rows.add(Map.of("Name", name, "Services", Integer.toString(n))));
      return rows;
    }

    static String render(List<Map<String, String>> rows, Template t) {
      if (t != null) return t.render(rows, HEADERS);
      Table table = new Table("NAME", "SERVICES");
      rows.forEach(r -> table.row(r.get("Name"), r.get("Services")));
      return table.render();
    }
  }

  /** {@code stack services STACK}: {@code service ls} scoped to the stack. */
  @Command(name = "services", description = "List the services in the stack", mixinStandardHelpOptions = true)
  public static final class Services implements Callable<Integer> {
    private final Cli cli;

    @Option(names = {"-f", "--filter"}, paramLabel = "filter", description = "Filter output based on conditions provided") List<String> filters = new ArrayList<>();
    @Option(names = "--format", paramLabel = "string", description = "Format output using a template with {{.Field}} placeholders") String format;
    @Option(names = {"-q", "--quiet"}, description = "Only display IDs") boolean quiet;
    @Parameters(paramLabel = "STACK") String stack;

    public Services(Cli cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() {
      Template t = template(format, ServiceLs.HEADERS.keySet());
      List<Service> services = cli.api().services(filters(stack, filters), true);
      if (services.isEmpty()) {
        // docker: not an error, a note on stderr
        cli.err().println("Nothing found in stack: " + stack);
        return 0;
      }
      List<Map<String, String>> rows = ServiceLs.rows(services,
          services.stream().anyMatch(s -> s.serviceStatus() == null) ? cli.api().tasks(filters(stack, List.of())) : List.of());
      if (quiet) {
        services.stream().map(Service::id).sorted().forEach(cli.out()::println);
      } else {
        cli.out().print(t != null ? t.render(rows, ServiceLs.HEADERS) : ServiceLs.render(rows));
      }
      return 0;
    }
  }

  /** {@code stack ps STACK}: {@code service ps} over every task of the stack. */
  @Command(name = "ps", description = "List the tasks in the stack", mixinStandardHelpOptions = true)
  public static final class Ps implements Callable<Integer> {
    private final Cli cli;

    @Option(names = {"-f", "--filter"}, paramLabel = "filter", description = "Filter output based on conditions provided") List<String> filters = new ArrayList<>();
    @Option(names = "--format", paramLabel = "string", description = "Format output using a template with {{.Field}} placeholders") String format;
    @Option(names = "--no-resolve", description = "Do not map IDs to Names") boolean noResolve;
    @Option(names = "--no-trunc", description = "Do not truncate output") boolean noTrunc;
    @Option(names = {"-q", "--quiet"}, description = "Only display task IDs") boolean quiet;
    @Parameters(paramLabel = "STACK") String stack;

    public Ps(Cli cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() {
      Template t = template(format, TaskTable.FIELDS);
      List<Task> tasks = cli.api().tasks(filters(stack, filters));
      if (tasks.isEmpty()) {
        throw new CommandFailure("nothing found in stack: " + stack);
      }
      Map<String, String> names = new HashMap<>();
      cli.api().services(filters(stack, List.of()), false).forEach(s -> names.put(s.id(), s.name()));
      Map<String, String> nodes = noResolve ? Map.of() : ServiceSupport.nodeNames(cli.api());
      ServicePs.print(cli, tasks, names, nodes, t, noTrunc, noResolve, quiet);
      return 0;
    }
  }

  /**
   * {@code stack rm STACK...}: services, then secrets, configs and networks of each stack. Like
   * docker, a failed removal is reported and the rest still removed; the command then fails.
   */
  @Command(name = "rm", aliases = {"remove", "down"}, description = "Remove one or more stacks", mixinStandardHelpOptions = true)
  public static final class Rm implements Callable<Integer> {
    private final Cli cli;

    @Option(names = {"-d", "--detach"}, arity = "0..1", paramLabel = "bool", description = "Do not wait for stack removal (default true)") boolean detach = true;
    @Parameters(arity = "1..*", paramLabel = "STACK") List<String> stacks;

    public Rm(Cli cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() {
      ApiStackTarget target = new ApiStackTarget(cli.api(), cli.err()::println);
      List<String> failedStacks = new ArrayList<>();
      for (String stack : stacks) {
        List<Step> steps = StackPlanner.remove(stack, target.state(stack)).steps();
        if (steps.isEmpty()) {
          cli.err().println("Nothing found in stack: " + stack);
          continue;
        }
        boolean failed = false;
        for (Step step : steps) {
          cli.out().println(step.describe());
          try {
            remove(target, step);
          } catch (io.shoal.cli.client.DaemonException e) {
            failed = true;
            // docker names the object by id here, and keeps its error's own prefix
            cli.err().println("Failed to remove " + step.describe().split(" ")[1] + " " + id(step)
                + ": Error response from daemon: " + e.getMessage());
          }
        }
        if (failed) failedStacks.add(stack);
      }
      if (!failedStacks.isEmpty()) {
        throw new CommandFailure("Failed to remove some resources from stack: " + String.join(", ", failedStacks));
      }
      return 0;
    }

    private static String id(Step step) {
      if (step instanceof Step.RemoveService s) return s.current().id();
      if (step instanceof Step.RemoveSecret s) return s.current().id();
      if (step instanceof Step.RemoveConfig s) return s.current().id();
      if (step instanceof Step.RemoveNetwork s) return s.current().id();
      return "";
    }

    private static void remove(ApiStackTarget target, Step step) {
      if (step instanceof Step.RemoveService s) {
        target.removeService(s.current().id());
      } else if (step instanceof Step.RemoveSecret s) {
        target.removeSecret(s.current().id());
      } else if (step instanceof Step.RemoveConfig s) {
        target.removeConfig(s.current().id());
      } else if (step instanceof Step.RemoveNetwork s) {
        target.removeNetwork(s.current().id());
      } else {
        throw new IllegalStateException("not a removal: " + step);
      }
    }
  }
}
