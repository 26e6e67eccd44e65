package io.shoal.cli.command.resource;

import com.fasterxml.jackson.databind.JsonNode;
import io.shoal.api.model.Secret;
import io.shoal.cli.Cli;
import io.shoal.cli.UsageException;
import io.shoal.cli.client.ApiClient;
import io.shoal.cli.format.Table;
import io.shoal.cli.format.Template;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
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
 * {@code shoal secret create|ls|inspect|rm}, and (with {@link Kind#CONFIG}) the same for configs:
 * the two APIs have one shape, differing in that a secret's data is never returned and its table
 * has a DRIVER column.
 */
@Command(name = "secret", description = "Manage Swarm secrets", mixinStandardHelpOptions = true)
public final class SecretCommand implements Runnable {
  public static final Map<String, Class<?>> SUBCOMMANDS = io.shoal.cli.Commands.of(
      "create", Create.class,
      "ls", Ls.class, "list", Ls.class,
      "inspect", Inspect.class,
      "rm", Rm.class, "remove", Rm.class);

  private final Cli cli;

  @Spec
  CommandSpec spec;

  public SecretCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public void run() {
    spec.commandLine().usage(cli.out());
  }

  /** Secrets and configs: which API and which table. */
  enum Kind {
    SECRET, CONFIG;

    JsonNode list(ApiClient api, io.shoal.cli.client.Filters f) {
      return this == SECRET ? api.secretsRaw(f) : api.configsRaw(f);
    }

    JsonNode get(ApiClient api, String name) {
      return this == SECRET ? api.secretRaw(name) : api.configRaw(name);
    }

    String create(ApiClient api, Secret.Spec spec) {
      return this == SECRET ? api.createSecret(spec) : api.createConfig(spec);
    }

    void remove(ApiClient api, String name) {
      if (this == SECRET) api.removeSecret(name);
      else api.removeConfig(name);
    }

    Map<String, String> headers() {
      Map<String, String> h = new LinkedHashMap<>();
      h.put("ID", "ID");
      h.put("Name", "NAME");
      if (this == SECRET) h.put("Driver", "DRIVER");
      h.put("CreatedAt", "CREATED");
      h.put("UpdatedAt", "UPDATED");
      h.put("Labels", "LABELS");
      return h;
    }
  }

  static int create(Cli cli, Kind kind, String name, String file, List<String> labels, String driver, String templateDriver) {
    if (file == null && driver == null) {
      throw new UsageException("\"" + kind.name().toLowerCase() + " create\" requires exactly 2 arguments: NAME and a file (or - for stdin)");
    }
    String data = file == null ? null : Base64.getEncoder().encodeToString(Resources.read(file, cli.stdin()));
    JsonNode driverNode = driver == null ? null : com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("Name", driver);
    JsonNode templating = templateDriver == null ? null : com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("Name", templateDriver);
    cli.out().println(kind.create(cli.api(), new Secret.Spec(name, Resources.labels(labels), data, driverNode, templating)));
    return 0;
  }

  /** Rows sorted by name: ID (full, as docker shows secret ids), NAME, [DRIVER,] CREATED, UPDATED. */
  static List<Map<String, String>> rows(Kind kind, JsonNode list, Instant now) {
    List<JsonNode> items = new ArrayList<>(ApiClient.elements(list));
    items.sort(Comparator.comparing(n -> n.path("Spec").path("Name").asText()));
    List<Map<String, String>> rows = new ArrayList<>();
    for (JsonNode n : items) {
      Map<String, String> r = new LinkedHashMap<>();
      r.put("ID", n.path("ID").asText());
      r.put("Name", n.path("Spec").path("Name").asText());
      r.put("Driver", n.path("Spec").path("Driver").path("Name").asText(""));
      r.put("CreatedAt", Resources.ago(n.get("CreatedAt"), now));
      r.put("UpdatedAt", Resources.ago(n.get("UpdatedAt"), now));
      List<String> labels = new ArrayList<>();
      n.path("Spec").path("Labels").fields().forEachRemaining(e -> labels.add(e.getKey() + "=" + e.getValue().asText()));
      r.put("Labels", String.join(",", labels));
      rows.add(r);
    }
    return rows;
  }

  static int ls(Cli cli, Kind kind, List<String> filters, String format, boolean quiet) {
    Map<String, String> headers = kind.headers();
    Template t = Resources.template(format, headers.keySet());
    List<Map<String, String>> rows = rows(kind, kind.list(cli.api(), Resources.filters(filters)), cli.clock().instant());
    if (quiet) {
      rows.forEach(r -> cli.out().println(r.get("ID")));
    } else if (t != null) {
      cli.out().print(t.render(rows, headers));
    } else {
      List<String> cols = new ArrayList<>(headers.keySet());
      cols.remove("Labels");
      Table table = new Table(cols.stream().map(headers::get).toArray(String[]::new));
      rows.forEach(r -> table.row(cols.stream().map(r::get).toList()));
      cli.out().print(table.render());
    }
    return 0;
  }

  @Command(name = "create", description = "Create a secret from a file or STDIN as content", mixinStandardHelpOptions = true)
  public static final class Create implements Callable<Integer> {
    private final Cli cli;

    @Option(names = {"-l", "--label"}, paramLabel = "list", description = "Secret labels") List<String> labels = new ArrayList<>();
    @Option(names = {"-d", "--driver"}, paramLabel = "string", description = "Secret driver") String driver;
    @Option(names = "--template-driver", paramLabel = "string", description = "Template driver") String templateDriver;
    @Parameters(index = "0", paramLabel = "SECRET") String name;
    @Parameters(index = "1", arity = "0..1", paramLabel = "file|-") String file;

    public Create(Cli cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() {
      return create(cli, Kind.SECRET, name, file, labels, driver, templateDriver);
    }
  }

  @Command(name = "ls", aliases = "list", description = "List secrets", mixinStandardHelpOptions = true)
  public static final class Ls implements Callable<Integer> {
    private final Cli cli;

    @Option(names = {"-f", "--filter"}, paramLabel = "filter", description = "Filter output based on conditions provided") List<String> filters = new ArrayList<>();
    @Option(names = "--format", paramLabel = "string", description = "Format output using a template with {{.Field}} placeholders") String format;
    @Option(names = {"-q", "--quiet"}, description = "Only display IDs") boolean quiet;

    public Ls(Cli cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() {
      return ls(cli, Kind.SECRET, filters, format, quiet);
    }
  }

  @Command(name = "inspect", description = "Display detailed information on one or more secrets", mixinStandardHelpOptions = true)
  public static final class Inspect implements Callable<Integer> {
    private final Cli cli;

    @Option(names = {"-f", "--format"}, paramLabel = "string", description = "Format output using a template with {{.Path}} placeholders") String format;
    @Parameters(arity = "1..*", paramLabel = "SECRET") List<String> names;

    public Inspect(Cli cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() {
      return Resources.inspect(cli, names, format, n -> Kind.SECRET.get(cli.api(), n));
    }
  }

  @Command(name = "rm", aliases = "remove", description = "Remove one or more secrets", mixinStandardHelpOptions = true)
  public static final class Rm implements Callable<Integer> {
    private final Cli cli;

    @Parameters(arity = "1..*", paramLabel = "SECRET") List<String> names;

    public Rm(Cli cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() {
      return Resources.remove(cli, names, n -> Kind.SECRET.remove(cli.api(), n));
    }
  }
}
