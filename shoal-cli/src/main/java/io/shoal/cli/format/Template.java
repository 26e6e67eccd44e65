package io.shoal.cli.format;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The small part of docker's Go-template {@code --format} that scripts use: {@code {{.Field}}}
 * placeholders, {@code \t} and {@code \n} escapes, and a leading {@code table} that adds a header
 * row and aligns columns. Anything else in {@code {{ }}} is an error rather than a silent guess.
 */
public final class Template {
  private static final Pattern FIELD = Pattern.compile("\\{\\{\\s*\\.([\\w.]*)\\s*}}");
  private static final Pattern ANY_ACTION = Pattern.compile("\\{\\{.*?}}");
  private final String body;
  private final boolean table;

  private Template(String body, boolean table) {
    this.body = body;
    this.table = table;
  }

  /**
   * Parses a format; {@code known} lists the fields rows carry, so a typo fails up front (null:
   * any dotted path, for inspect).
   *
   * @throws IllegalArgumentException on an unsupported action or unknown field
   */
  public static Template parse(String format, Iterable<String> known) {
    String f = format;
    boolean table = false;
    if (f.startsWith("table")) {
      table = true;
      f = f.substring(5).stripLeading();
    }
    f = f.replace("\\t", "\t").replace("\\n", "\n");
    Matcher any = ANY_ACTION.matcher(f);
    while (any.find()) {
      Matcher m = FIELD.matcher(any.group());
      if (!m.matches()) {
        throw new IllegalArgumentException("template: unsupported action " + any.group()
            + " (only {{.Field}} is supported)");
      }
      if (known == null) {
        continue;
      }
      boolean found = false;
      for (String k : known) {
        found |= k.equals(m.group(1));
      }
      if (!found) {
        throw new IllegalArgumentException("template: can't evaluate field " + m.group(1));
      }
    }
    return new Template(f, table);
  }

  /** Renders rows; {@code headers} maps field names to column titles for {@code table}. */
  public String render(List<Map<String, String>> rows, Map<String, String> headers) {
    if (!table) {
      StringBuilder sb = new StringBuilder();
      for (Map<String, String> row : rows) {
        sb.append(expand(row)).append('\n');
      }
      return sb.toString();
    }
    Table t = Table.headless();
    t.row(split(expand(headers)));
    for (Map<String, String> row : rows) {
      t.row(split(expand(row)));
    }
    return t.render();
  }

  private static List<String> split(String line) {
    return new ArrayList<>(List.of(line.split("\t", -1)));
  }

  private String expand(Map<String, String> values) {
    return expand(k -> values.getOrDefault(k, ""));
  }

  /** One rendering with values looked up by path ({@code Spec.Name}; {@code ""} is the whole). */
  public String expand(java.util.function.Function<String, String> resolver) {
    Matcher m = FIELD.matcher(body);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(sb, Matcher.quoteReplacement(resolver.apply(m.group(1))));
    }
    m.appendTail(sb);
    return sb.toString();
  }
}
