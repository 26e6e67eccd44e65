package io.shoal.cli.command.service;

import io.shoal.api.model.Service;
import io.shoal.api.model.Task;
import io.shoal.cli.Cli;
import io.shoal.cli.CommandFailure;
import io.shoal.cli.UsageException;
import io.shoal.cli.client.DaemonException;
import io.shoal.cli.client.Filters;
import io.shoal.cli.format.TaskTable;
import io.shoal.cli.format.Template;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code shoal service ps SERVICE...}: the tasks of services, history included. */
@Command(name = "ps", description = "List the tasks of one or more services", mixinStandardHelpOptions = true)
public final class ServicePs implements Callable<Integer> {
  private final Cli cli;

  @Option(names = {"-f", "--filter"}, paramLabel = "filter", description = "Filter output based on conditions provided") List<String> filters = new ArrayList<>();
  @Option(names = "--format", paramLabel = "string", description = "Pretty-print tasks using a template with {{.Field}} placeholders") String format;
  @Option(names = "--no-resolve", description = "Do not map IDs to Names") boolean noResolve;
  @Option(names = "--no-trunc", description = "Do not truncate output") boolean noTrunc;
  @Option(names = {"-q", "--quiet"}, description = "Only display task IDs") boolean quiet;

  @Parameters(arity = "1..*", paramLabel = "SERVICE") List<String> services;

  public ServicePs(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() {
    Template template = format == null ? null : template(format);
    Filters base;
    try {
      base = new Filters().addAll(filters);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    Map<String, String> names = new HashMap<>();
    List<String> missing = new ArrayList<>();
    for (String s : services) {
      try {
        Service svc = cli.api().service(s);
        names.put(svc.id(), svc.name());
        base.add("service", svc.id());
      } catch (DaemonException e) {
        if (e.status() != 404) {
          throw e;
        }
        missing.add(s);
      }
    }
    if (!missing.isEmpty()) {
      throw new CommandFailure("no such service: " + String.join(", ", missing));
    }
    List<Task> tasks = cli.api().tasks(base);
    Map<String, String> nodes = noResolve ? Map.of() : ServiceSupport.nodeNames(cli.api());
    print(cli, tasks, names, nodes, template, noTrunc, noResolve, quiet);
    return 0;
  }

  static Template template(String format) {
    try {
      return Template.parse(format, TaskTable.FIELDS);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  /** Shared with {@code node ps}. */
  public static void print(Cli cli, List<Task> tasks, Map<String, String> serviceNames,
      Map<String, String> nodeNames, Template template, boolean noTrunc, boolean noResolve, boolean quiet) {
    List<Map<String, String>> rows = TaskTable.rows(tasks, serviceNames, nodeNames,
        cli.clock().instant(), noTrunc, noResolve);
    if (quiet) {
      rows.forEach(r -> cli.out().println(r.get("ID")));
    } else if (template != null) {
      cli.out().print(template.render(rows, TaskTable.HEADERS));
    } else {
      cli.out().print(TaskTable.render(rows));
    }
  }
}
