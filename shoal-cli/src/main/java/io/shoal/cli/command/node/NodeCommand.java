package io.shoal.cli.command.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.shoal.api.json.Json;
import io.shoal.api.model.Node;
import io.shoal.api.model.Task;
import io.shoal.cli.Cli;
import io.shoal.cli.CommandFailure;
import io.shoal.cli.UsageException;
import io.shoal.cli.client.ApiClient;
import io.shoal.cli.client.DaemonException;
import io.shoal.cli.client.Filters;
import io.shoal.cli.command.service.ServiceInspect.InspectSupport;
import io.shoal.cli.command.service.ServicePs;
import io.shoal.cli.format.JsonPrinter;
import io.shoal.cli.format.Pretty;
import io.shoal.cli.format.TaskTable;
import io.shoal.cli.format.Template;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code shoal node ls|inspect|update|ps|promote|demote|rm}. {@code self} names the node the CLI talks to. */
@Command(name = "node", description = "Manage Swarm nodes", mixinStandardHelpOptions = true)
public final class NodeCommand implements Runnable {
  /** Subcommands by name and alias; registered by ShoalMain only when used. */
  public static final java.util.Map<String, Class<?>> SUBCOMMANDS = io.shoal.cli.Commands.of(
      "ls", Ls.class,
      "list", Ls.class,
      "inspect", Inspect.class,
      "update", Update.class,
      "ps", Ps.class,
      "promote", NodeChanges.Promote.class,
      "demote", NodeChanges.Demote.class,
      "rm", NodeChanges.Rm.class,
      "remove", NodeChanges.Rm.class);

  private final Cli cli;

  @Spec
  CommandSpec spec;

  public NodeCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public void run() {
    spec.commandLine().usage(cli.out());
  }

  /** The id of the node the daemon runs on, from {@code /info}; empty if unknown. */
  static String selfId(ApiClient api) {
    try {
      return api.info().path("Swarm").path("NodeID").asText("");
    } catch (DaemonException e) {
      return "";
    }
  }

  static String resolve(ApiClient api, String ref) {
    if (ref.equals("self")) {
      String self = selfId(api);
      if (self.isEmpty()) {
        throw new CommandFailure("Error: this node is not part of a swarm");
      }
      return self;
    }
    return ref;
  }

  /** {@code node ls}: ID HOSTNAME STATUS AVAILABILITY MANAGER STATUS ENGINE VERSION. */
  @Command(name = "ls", aliases = "list", description = "List nodes in the swarm", mixinStandardHelpOptions = true)
  public static final class Ls implements Callable<Integer> {
    public static final Map<String, String> HEADERS = new LinkedHashMap<>();

    static {
      HEADERS.put("ID", "ID");
      HEADERS.put("Hostname", "HOSTNAME");
      HEADERS.put("Status", "STATUS");
      HEADERS.put("Availability", "AVAILABILITY");
      HEADERS.put("ManagerStatus", "MANAGER STATUS");
      HEADERS.put("EngineVersion", "ENGINE VERSION");
    }

    private final Cli cli;

    @Option(names = {"-f", "--filter"}, paramLabel = "filter", description = "Filter output based on conditions provided") List<String> filters = new ArrayList<>();
    @Option(names = "--format", paramLabel = "string", description = "Format output using a template with {{.Field}} placeholders") String format;
    @Option(names = {"-q", "--quiet"}, description = "Only display IDs") boolean quiet;

    public Ls(Cli cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() {
      Template template = null;
      Filters f;
      try {
        template = format == null ? null : Template.parse(format, HEADERS.keySet());
        f = new Filters().addAll(filters);
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
      List<Node> nodes = cli.api().nodes(f);
      if (quiet) {
        nodes.forEach(n -> cli.out().println(n.id()));
        return 0;
      }
      List<Map<String, String>> rows = rows(nodes, selfId(cli.api()));
      if (template != null) {
        cli.out().print(template.render(rows, HEADERS));
      } else {
        io.shoal.cli.format.Table t = new io.shoal.cli.format.Table(HEADERS.values().toArray(new String[0]));
        rows.forEach(r -> t.row(HEADERS.keySet().stream().map(k -> r.getOrDefault(k, "")).toList()));
        cli.out().print(t.render());
      }
      return 0;
    }

    public static List<Map<String, String>> rows(List<Node> nodes, String self) {
      List<Node> sorted = new ArrayList<>(nodes);
      sorted.sort(java.util.Comparator.comparing((Node n) -> n.hostname() == null ? "" : n.hostname()).thenComparing(Node::id));
      List<Map<String, String>> rows = new ArrayList<>();
      for (Node n : sorted) {
        Map<String, String> r = new LinkedHashMap<>();
        r.put("ID", n.id() + (n.id().equals(self) ? " *" : ""));
        r.put("Hostname", n.hostname() == null ? "" : n.hostname());
        r.put("Status", cap(n.status() == null ? "" : n.status().state()));
        r.put("Availability", cap(n.spec() == null ? "" : n.spec().availabilityOrActive()));
        String ms = "";
        if (n.managerStatus() != null) {
          ms = Boolean.TRUE.equals(n.managerStatus().leader()) ? "Leader" : cap(n.managerStatus().reachability());
        }
        r.put("ManagerStatus", ms);
        r.put("EngineVersion", n.description() == null || n.description().engine() == null
            || n.description().engine().engineVersion() == null ? "" : n.description().engine().engineVersion());
        rows.add(r);
      }
      return rows;
    }

    private static String cap(String s) {
      return io.shoal.cli.format.Display.capitalize(s);
    }
  }

  /** {@code node inspect [--pretty | -f FORMAT] NODE...}. */
  @Command(name = "inspect", description = "Display detailed information on one or more nodes", mixinStandardHelpOptions = true)
  public static final class Inspect implements Callable<Integer> {
    private final Cli cli;

    @Option(names = {"-f", "--format"}, paramLabel = "string", description = "Format output using a template with {{.Path}} placeholders") String format;
    @Option(names = "--pretty", description = "Print the information in a human friendly format") boolean pretty;
    @Parameters(arity = "1..*", paramLabel = "NODE") List<String> nodes;

    public Inspect(Cli cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() {
      if (pretty && format != null) {
        throw new UsageException("--format is incompatible with human friendly format");
      }
      Template t = format == null ? null : InspectSupport.template(format);
      List<JsonNode> found = new ArrayList<>();
      List<String> missing = new ArrayList<>();
      for (String ref : nodes) {
        try {
          found.add(cli.api().nodeRaw(resolve(cli.api(), ref)));
        } catch (DaemonException e) {
          if (e.status() != 404) {
            throw e;
          }
          missing.add(ref);
        }
      }
      if (pretty) {
        for (int i = 0; i < found.size(); i++) {
          if (i > 0) {
            cli.out().println();
          }
          cli.out().print(Pretty.node(Json.lenient().convertValue(found.get(i), Node.class)));
        }
      } else if (t != null) {
        found.forEach(n -> cli.out().println(t.expand(p -> InspectSupport.resolve(n, p))));
      } else {
        cli.out().print(JsonPrinter.inspectArray(found));
      }
      if (!missing.isEmpty()) {
        throw new CommandFailure("Error: no such node: " + String.join(", ", missing));
      }
      return 0;
    }
  }

  /** {@code node update}: availability, role, labels; posted with the version read. */
  @Command(name = "update", description = "Update a node", mixinStandardHelpOptions = true)
  public static final class Update implements Callable<Integer> {
    private final Cli cli;

    @Option(names = "--availability", paramLabel = "string", description = "Availability of the node (\"active\", \"pause\", \"drain\")") String availability;
    @Option(names = "--role", paramLabel = "string", description = "Role of the node (\"worker\", \"manager\")") String role;
    @Option(names = "--label-add", paramLabel = "list", description = "Add or update a node label (key=value)") List<String> labelAdd = new ArrayList<>();
    @Option(names = "--label-rm", paramLabel = "list", description = "Remove a node label if exists") List<String> labelRm = new ArrayList<>();
    @Parameters(index = "0", paramLabel = "NODE") String node;

    public Update(Cli cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() {
      apply(new Node.NodeSpec(null, null, null, null), false); // validate before any request
      String id = resolve(cli.api(), node);
      Node current = Json.lenient().convertValue(cli.api().nodeRaw(id), Node.class);
      Node.NodeSpec spec = apply(current.spec() == null ? new Node.NodeSpec(null, null, null, null) : current.spec(), true);
      cli.api().updateNode(current.id(), current.version().index(), spec);
      cli.out().println(node);
      return 0;
    }

    /**
     * The spec after this command's changes; throws {@link UsageException} on bad values, and when
     * {@code strict}, on removing a label the node does not have (docker's rule).
     */
    public Node.NodeSpec apply(Node.NodeSpec spec, boolean strict) {
      String a = spec.availability();
      if (availability != null) {
        a = availability.toLowerCase(Locale.ROOT);
        if (!List.of("active", "pause", "drain").contains(a)) {
          throw UsageException.badValue("--availability", availability, "invalid availability; must be one of active, pause, drain");
        }
      }
      String r = spec.role();
      if (role != null) {
        r = role.toLowerCase(Locale.ROOT);
        if (!List.of("worker", "manager").contains(r)) {
          throw UsageException.badValue("--role", role, "invalid role; must be one of worker, manager");
        }
      }
      Map<String, String> labels = new LinkedHashMap<>(spec.labels() == null ? Map.of() : spec.labels());
      for (String kv : labelAdd) {
        int eq = kv.indexOf('=');
        String k = eq < 0 ? kv : kv.substring(0, eq);
        if (k.isEmpty()) {
          throw UsageException.badValue("--label-add", kv, "invalid label: empty key");
        }
        labels.put(k, eq < 0 ? "" : kv.substring(eq + 1));
      }
      for (String k : labelRm) {
        if (strict && !labels.containsKey(k)) {
          throw new UsageException("key " + k + " doesn't exist in node's labels");
        }
        labels.remove(k);
      }
      return new Node.NodeSpec(spec.name(), labels, r, a);
    }
  }

  /** {@code node ps [NODE...]}: tasks on nodes, {@code self} by default. */
  @Command(name = "ps", description = "List tasks running on one or more nodes, defaults to current node", mixinStandardHelpOptions = true)
  public static final class Ps implements Callable<Integer> {
    private final Cli cli;

    @Option(names = {"-f", "--filter"}, paramLabel = "filter", description = "Filter output based on conditions provided") List<String> filters = new ArrayList<>();
    @Option(names = "--format", paramLabel = "string", description = "Pretty-print tasks using a template with {{.Field}} placeholders") String format;
    @Option(names = "--no-resolve", description = "Do not map IDs to Names") boolean noResolve;
    @Option(names = "--no-trunc", description = "Do not truncate output") boolean noTrunc;
    @Option(names = {"-q", "--quiet"}, description = "Only display task IDs") boolean quiet;
    @Parameters(arity = "0..*", paramLabel = "NODE") List<String> nodes = new ArrayList<>();

    public Ps(Cli cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() {
      Template template;
      Filters f;
      try {
        template = format == null ? null : Template.parse(format, TaskTable.FIELDS);
        f = new Filters().addAll(filters);
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
      List<String> refs = nodes.isEmpty() ? List.of("self") : nodes;
      for (String ref : refs) {
        f.add("node", resolve(cli.api(), ref));
      }
      List<Task> tasks = cli.api().tasks(f);
      Map<String, String> serviceNames = new HashMap<>();
      cli.api().services(null, false).forEach(s -> serviceNames.put(s.id(), s.name()));
      Map<String, String> nodeNames = new HashMap<>();
      if (!noResolve) {
        cli.api().nodes(null).forEach(n -> nodeNames.put(n.id(), n.hostname()));
      }
      ServicePs.print(cli, tasks, serviceNames, nodeNames, template, noTrunc, noResolve, quiet);
      return 0;
    }
  }
}
