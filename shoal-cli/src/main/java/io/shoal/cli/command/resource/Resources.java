package io.shoal.cli.command.resource;

import com.fasterxml.jackson.databind.JsonNode;
import io.shoal.cli.Cli;
import io.shoal.cli.CommandFailure;
import io.shoal.cli.UsageException;
import io.shoal.cli.client.DaemonException;
import io.shoal.cli.client.Filters;
import io.shoal.cli.command.service.ServiceInspect.InspectSupport;
import io.shoal.cli.format.HumanTime;
import io.shoal.cli.format.JsonPrinter;
import io.shoal.cli.format.Template;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/** What {@code secret}, {@code config} and {@code network} share: labels, data, ls, inspect, rm. */
final class Resources {
  private Resources() {}

  /** {@code --label k=v} (or a bare {@code k}, an empty value), in the order given. */
  static Map<String, String> labels(List<String> given) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String kv : given) {
      int eq = kv.indexOf('=');
      out.put(eq < 0 ? kv : kv.substring(0, eq), eq < 0 ? "" : kv.substring(eq + 1));
    }
    return out;
  }

  static Filters filters(List<String> given) {
    try {
      return new Filters().addAll(given);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  static Template template(String format, Iterable<String> fields) {
    try {
      return format == null ? null : Template.parse(format, fields);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  /** The file's bytes, or stdin's for {@code -}; a missing file is the user's error. */
  static byte[] read(String file, InputStream stdin) {
    try {
      return file.equals("-") ? stdin.readAllBytes() : Files.readAllBytes(Path.of(file));
    } catch (NoSuchFileException e) {
      throw new CommandFailure("open " + file + ": no such file or directory");
    } catch (IOException e) {
      throw new CommandFailure("error reading content from \"" + file + "\": " + e.getMessage());
    }
  }

  /** {@code 5 minutes ago}, as docker's CREATED/UPDATED columns. */
  static String ago(JsonNode time, Instant now) {
    if (time == null || !time.isTextual()) return "";
    return HumanTime.duration(Duration.between(Instant.parse(time.asText()), now)) + " ago";
  }

  /** {@code inspect}: a JSON array, or one template line per object; missing ones fail at the end. */
  static int inspect(Cli cli, List<String> names, String format, Function<String, JsonNode> get) {
    Template t = format == null ? null : InspectSupport.template(format);
    List<JsonNode> found = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (String n : names) {
      try {
        found.add(get.apply(n));
      } catch (DaemonException e) {
        if (e.status() != 404) throw e;
        errors.add("Error response from daemon: " + e.getMessage());
      }
    }
    if (t != null) {
      found.forEach(n -> cli.out().println(t.expand(p -> InspectSupport.resolve(n, p))));
    } else {
      cli.out().print(JsonPrinter.inspectArray(found));
    }
    if (!errors.isEmpty()) throw new CommandFailure(String.join("\n", errors));
    return 0;
  }

  /** {@code rm}: each name as given is printed once removed; failures are collected, as docker does. */
  static int remove(Cli cli, List<String> names, Consumer<String> delete) {
    List<String> errors = new ArrayList<>();
    for (String n : names) {
      try {
        delete.accept(n);
        cli.out().println(n);
      } catch (DaemonException e) {
        errors.add("Error response from daemon: " + e.getMessage());
      }
    }
    if (!errors.isEmpty()) throw new CommandFailure(String.join("\n", errors));
    return 0;
  }
}
