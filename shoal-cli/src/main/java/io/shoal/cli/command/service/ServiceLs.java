package io.shoal.cli.command.service;

import io.shoal.api.model.Service;
import io.shoal.api.model.ServiceMode;
import io.shoal.api.model.Task;
import io.shoal.api.model.TaskState;
import io.shoal.cli.Cli;
import io.shoal.cli.UsageException;
import io.shoal.cli.client.Filters;
import io.shoal.cli.format.Display;
import io.shoal.cli.format.Template;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code shoal service ls}: ID NAME MODE REPLICAS IMAGE PORTS, sorted by name. */
@Command(name = "ls", aliases = "list", description = "List services", mixinStandardHelpOptions = true)
public final class ServiceLs implements Callable<Integer> {
  public static final Map<String, String> HEADERS = new LinkedHashMap<>();

  static {
    HEADERS.put("ID", "ID");
    HEADERS.put("Name", "NAME");
    HEADERS.put("Mode", "MODE");
    HEADERS.put("Replicas", "REPLICAS");
    HEADERS.put("Image", "IMAGE");
    HEADERS.put("Ports", "PORTS");
  }

  private final Cli cli;

  @Option(names = {"-f", "--filter"}, paramLabel = "filter", description = "Filter output based on conditions provided") List<String> filters = new ArrayList<>();
  @Option(names = "--format", paramLabel = "string", description = "Format output using a template with {{.Field}} placeholders") String format;
  @Option(names = {"-q", "--quiet"}, description = "Only display IDs") boolean quiet;

  public ServiceLs(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() {
    Template template = format == null ? null : parseTemplate(format);
    Filters f;
    try {
      f = new Filters().addAll(filters);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    List<Service> services = cli.api().services(f, true);
    if (quiet) {
      services.stream().sorted(Comparator.comparing(Service::name)).forEach(s -> cli.out().println(s.id()));
      return 0;
    }
    // Daemons without ServiceStatus: count running tasks ourselves.
    List<Task> tasks = services.stream().anyMatch(s -> s.serviceStatus() == null)
        ? cli.api().tasks(null) : List.of();
    List<Map<String, String>> rows = rows(services, tasks);
    cli.out().print(template != null ? template.render(rows, HEADERS) : render(rows));
    return 0;
  }

  static Template parseTemplate(String format) {
    try {
      return Template.parse(format, HEADERS.keySet());
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  /** Rows sorted by name, as docker sorts them. */
  public static List<Map<String, String>> rows(List<Service> unsorted, List<Task> tasks) {
    List<Service> services = new ArrayList<>(unsorted);
    services.sort(Comparator.comparing(Service::name));
    List<Map<String, String>> rows = new ArrayList<>();
    for (Service s : services) {
      Map<String, String> r = new LinkedHashMap<>();
      r.put("ID", Display.shortId(s.id(), false));
      r.put("Name", s.name());
      r.put("Mode", mode(s.spec().modeOrDefault()));
      r.put("Replicas", replicas(s, tasks));
      r.put("Image", Display.image(s.spec().taskTemplate() == null || s.spec().taskTemplate().containerSpec() == null
          ? "" : s.spec().taskTemplate().containerSpec().image(), false));
      r.put("Ports", s.endpoint() == null ? "" : Display.ports(s.endpoint().portsOrEmpty().stream()
          .filter(p -> p.publishModeOrDefault().equals("ingress")).toList()));
      rows.add(r);
    }
    return rows;
  }

  public static String render(List<Map<String, String>> rows) {
    io.shoal.cli.format.Table t = new io.shoal.cli.format.Table(HEADERS.values().toArray(new String[0]));
    rows.forEach(r -> t.row(HEADERS.keySet().stream().map(k -> r.getOrDefault(k, "")).toList()));
    return t.render();
  }

  static String mode(ServiceMode m) {
    if (m.global() != null) return "global";
    if (m.replicatedJob() != null) return "replicated job";
    if (m.globalJob() != null) return "global job";
    return "replicated";
  }

  /** {@code 3/3}, {@code 3/3 (max 1 per node)}, jobs {@code 1/3 (2/5 completed)}. */
  static String replicas(Service s, List<Task> tasks) {
    long running;
    long desired;
    long completed;
    if (s.serviceStatus() != null) {
      running = s.serviceStatus().runningTasks();
      desired = s.serviceStatus().desiredTasks();
      completed = s.serviceStatus().completedTasks();
    } else {
      List<Task> mine = tasks.stream().filter(t -> s.id().equals(t.serviceID())).toList();
      running = mine.stream().filter(t -> t.state() == TaskState.RUNNING).count();
      completed = mine.stream().filter(t -> t.state() == TaskState.COMPLETE).count();
      ServiceMode m = s.spec().modeOrDefault();
      desired = m.replicated() != null ? m.replicaCount()
          : mine.stream().filter(t -> t.desiredState() != null && t.desiredState().compareTo(TaskState.RUNNING) <= 0).count();
    }
    ServiceMode m = s.spec().modeOrDefault();
    String base = running + "/" + desired;
    if (m.replicatedJob() != null) {
      return base + " (" + completed + "/" + m.replicatedJob().totalCompletionsOrDefault() + " completed)";
    }
    if (m.globalJob() != null) {
      return base + " (" + completed + "/" + desired + " completed)";
    }
    long max = s.spec().taskTemplate() == null || s.spec().taskTemplate().placement() == null ? 0
        : s.spec().taskTemplate().placement().maxReplicasOrZero();
    return max > 0 && m.replicated() != null ? base + " (max " + max + " per node)" : base;
  }
}
