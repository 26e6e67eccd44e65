package io.shoal.cli.command.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.shoal.api.model.Service;
import io.shoal.cli.Cli;
import io.shoal.cli.CommandFailure;
import io.shoal.cli.UsageException;
import io.shoal.cli.client.DaemonException;
import io.shoal.cli.format.JsonPrinter;
import io.shoal.cli.format.Pretty;
import io.shoal.cli.format.Template;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code shoal service inspect [--pretty | -f FORMAT] SERVICE...}: the daemon's JSON as docker
 * prints it (an indented array, the daemon's key order), a human form, or template fields.
 */
@Command(name = "inspect", description = "Display detailed information on one or more services",
    mixinStandardHelpOptions = true)
public final class ServiceInspect implements Callable<Integer> {
  private final Cli cli;

  @Option(names = {"-f", "--format"}, paramLabel = "string", description = "Format output using a template with {{.Path.To.Field}} placeholders") String format;
  @Option(names = "--pretty", description = "Print the information in a human friendly format") boolean pretty;

  @Parameters(arity = "1..*", paramLabel = "SERVICE") List<String> services;

  public ServiceInspect(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() {
    if (pretty && format != null) {
      throw new UsageException("--format is incompatible with human friendly format");
    }
    Template template = format == null ? null : InspectSupport.template(format);
    List<JsonNode> found = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (String s : services) {
      try {
        found.add(cli.api().serviceRaw(s));
      } catch (DaemonException e) {
        if (e.status() != 404) {
          throw e;
        }
        missing.add(s);
      }
    }
    if (pretty) {
      for (JsonNode n : found) {
        cli.out().print(Pretty.service(io.shoal.api.json.Json.lenient().convertValue(n, Service.class)));
      }
    } else if (template != null) {
      for (JsonNode n : found) {
        cli.out().println(template.expand(path -> InspectSupport.resolve(n, path)));
      }
    } else {
      cli.out().print(JsonPrinter.inspectArray(found));
    }
    if (!missing.isEmpty()) {
      throw new CommandFailure("Error: no such service: " + String.join(", ", missing));
    }
    return 0;
  }

  /** Shared by the inspect commands: template parsing and JSON path lookup. */
  public static final class InspectSupport {
    private InspectSupport() {}

    public static Template template(String format) {
      try {
        return Template.parse(format, null);
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
    }

    /** {@code Spec.Name} in the object; strings bare, other values as JSON, absent as Go does. */
    public static String resolve(JsonNode root, String path) {
      JsonNode n = root;
      if (!path.isEmpty()) {
        for (String part : path.split("\\.")) {
          n = n == null ? null : n.get(part);
        }
      }
      if (n == null || n.isMissingNode()) {
        return "<no value>";
      }
      return n.isValueNode() ? n.asText() : n.toString();
    }
  }
}
