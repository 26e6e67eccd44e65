package io.shoal.cli.command.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shoal.api.model.Network;
import io.shoal.cli.Cli;
import io.shoal.cli.UsageException;
import io.shoal.cli.client.ApiClient;
import io.shoal.cli.format.Display;
import io.shoal.cli.format.Table;
import io.shoal.cli.format.Template;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code shoal network create|ls|inspect|rm}. Shoal's networks are all swarm-scoped, so the
 * default driver is {@code overlay} (docker's is {@code bridge}, a local network Shoal has not).
 */
@Command(name = "network", description = "Manage networks", mixinStandardHelpOptions = true)
public final class NetworkCommand implements Runnable {
  public static final Map<String, Class<?>> SUBCOMMANDS = io.shoal.cli.Commands.of(
      "create", Create.class,
      "ls", Ls.class, "list", Ls.class,
      "inspect", Inspect.class,
      "rm", Rm.class, "remove", Rm.class);

  static final Map<String, String> HEADERS = new LinkedHashMap<>();

  static {
    HEADERS.put("ID", "NETWORK ID");
    HEADERS.put("Name", "NAME");
    HEADERS.put("Driver", "DRIVER");
    HEADERS.put("Scope", "SCOPE");
    HEADERS.put("IPv6", "IPV6");
    HEADERS.put("Internal", "INTERNAL");
    HEADERS.put("Labels", "LABELS");
    HEADERS.put("CreatedAt", "CREATED AT");
  }

  private final Cli cli;

  @Spec
  CommandSpec spec;

  public NetworkCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public void run() {
    spec.commandLine().usage(cli.out());
  }

  @Command(name = "create", description = "Create a network", mixinStandardHelpOptions = true, sortOptions = true)
  public static final class Create implements Callable<Integer> {
    private final Cli cli;

    @Option(names = {"-d", "--driver"}, paramLabel = "string", description = "Driver to manage the Network (default \"overlay\")") String driver = "overlay";
    @Option(names = "--attachable", description = "Enable manual container attachment") boolean attachable;
    @Option(names = "--internal", description = "Restrict external access to the network") boolean internal;
    @Option(names = "--ipv6", description = "Enable or disable IPv6 networking") boolean ipv6;
    @Option(names = "--label", paramLabel = "list", description = "Set metadata on a network") List<String> labels = new ArrayList<>();
    @Option(names = {"-o", "--opt"}, paramLabel = "map", description = "Set driver specific options") List<String> opts = new ArrayList<>();
    @Option(names = "--subnet", paramLabel = "strings", description = "Subnet in CIDR format that represents a network segment") List<String> subnets = new ArrayList<>();
    @Option(names = "--gateway", paramLabel = "strings", description = "IPv4 or IPv6 Gateway for the master subnet") List<String> gateways = new ArrayList<>();
    @Option(names = "--ip-range", paramLabel = "strings", description = "Allocate container ip from a sub-range") List<String> ipRanges = new ArrayList<>();
    @Option(names = "--scope", paramLabel = "string", description = "Control the network's scope") String scope;
    @Parameters(paramLabel = "NETWORK") String name;

    public Create(Cli cli) {
      this.cli = cli;
    }

    /** The create request; throws {@link UsageException} on bad flags. Visible for tests. */
    public Network.NetworkSpec request() {
      for (String s : subnets) {
        if (!s.matches("[0-9a-fA-F.:]+/\\d{1,3}")) throw UsageException.badValue("--subnet", s, "invalid CIDR address: " + s);
      }
      if (gateways.size() > subnets.size() || ipRanges.size() > subnets.size()) {
        throw new UsageException("every ip-range or gateway must have a corresponding subnet");
      }
      if (scope != null && !scope.equals("swarm")) {
        throw UsageException.badValue("--scope", scope, "Shoal has swarm-scoped networks only");
      }
      ObjectNode ipam = null;
      if (!subnets.isEmpty()) {
        ipam = JsonNodeFactory.instance.objectNode().put("Driver", "default");
        for (int i = 0; i < subnets.size(); i++) {
          ObjectNode c = ipam.withArray("Config").addObject().put("Subnet", subnets.get(i));
          if (i < gateways.size()) c.put("Gateway", gateways.get(i));
          if (i < ipRanges.size()) c.put("IPRange", ipRanges.get(i));
        }
      }
      return new Network.NetworkSpec(name, driver, scope, internal, attachable, false, ipam, ipv6,
          Resources.labels(opts), Resources.labels(labels));
    }

    @Override
    public Integer call() {
      cli.out().println(cli.api().createNetwork(request()));
      return 0;
    }
  }

  /** Rows sorted by name, docker's NETWORK ID (12 characters unless {@code --no-trunc}). */
  static List<Map<String, String>> rows(JsonNode list, boolean noTrunc) {
    List<JsonNode> items = new ArrayList<>(ApiClient.elements(list));
    items.sort(Comparator.comparing(n -> n.path("Name").asText()));
    List<Map<String, String>> rows = new ArrayList<>();
    for (JsonNode n : items) {
      Map<String, String> r = new LinkedHashMap<>();
      r.put("ID", Display.shortId(n.path("Id").asText(), noTrunc));
      r.put("Name", n.path("Name").asText());
      r.put("Driver", n.path("Driver").asText());
      r.put("Scope", n.path("Scope").asText());
      r.put("IPv6", Boolean.toString(n.path("EnableIPv6").asBoolean()));
      r.put("Internal", Boolean.toString(n.path("Internal").asBoolean()));
      List<String> labels = new ArrayList<>();
      n.path("Labels").fields().forEachRemaining(e -> labels.add(e.getKey() + "=" + e.getValue().asText()));
      r.put("Labels", String.join(",", labels));
      r.put("CreatedAt", n.path("Created").asText(""));
      rows.add(r);
    }
    return rows;
  }

  @Command(name = "ls", aliases = "list", description = "List networks", mixinStandardHelpOptions = true)
  public static final class Ls implements Callable<Integer> {
    private final Cli cli;

    @Option(names = {"-f", "--filter"}, paramLabel = "filter", description = "Provide filter values (e.g. \"driver=bridge\")") List<String> filters = new ArrayList<>();
    @Option(names = "--format", paramLabel = "string", description = "Format output using a template with {{.Field}} placeholders") String format;
    @Option(names = "--no-trunc", description = "Do not truncate the output") boolean noTrunc;
    @Option(names = {"-q", "--quiet"}, description = "Only display network IDs") boolean quiet;

    public Ls(Cli cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() {
      Template t = Resources.template(format, HEADERS.keySet());
      List<Map<String, String>> rows = rows(cli.api().networksRaw(Resources.filters(filters)), noTrunc);
      if (quiet) {
        rows.forEach(r -> cli.out().println(r.get("ID")));
      } else if (t != null) {
        cli.out().print(t.render(rows, HEADERS));
      } else {
        Table table = new Table("NETWORK ID", "NAME", "DRIVER", "SCOPE");
        rows.forEach(r -> table.row(r.get("ID"), r.get("Name"), r.get("Driver"), r.get("Scope")));
        cli.out().print(table.render());
      }
      return 0;
    }
  }

  @Command(name = "inspect", description = "Display detailed information on one or more networks", mixinStandardHelpOptions = true)
  public static final class Inspect implements Callable<Integer> {
    private final Cli cli;

    @Option(names = {"-f", "--format"}, paramLabel = "string", description = "Format output using a template with {{.Path}} placeholders") String format;
    @Parameters(arity = "1..*", paramLabel = "NETWORK") List<String> names;

    public Inspect(Cli cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() {
      return Resources.inspect(cli, names, format, n -> cli.api().networkRaw(n));
    }
  }

  @Command(name = "rm", aliases = "remove", description = "Remove one or more networks", mixinStandardHelpOptions = true)
  public static final class Rm implements Callable<Integer> {
    private final Cli cli;

    @Option(names = {"-f", "--force"}, description = "Do not error if the network does not exist") boolean force;
    @Parameters(arity = "1..*", paramLabel = "NETWORK") List<String> names;

    public Rm(Cli cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() {
      return Resources.remove(cli, names, n -> {
        try {
          cli.api().removeNetwork(n);
        } catch (io.shoal.cli.client.DaemonException e) {
          if (!(force && e.status() == 404)) throw e;
        }
      });
    }
  }
}
