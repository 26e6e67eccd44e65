package io.shoal.cli.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Prints JSON the way {@code docker inspect} does (Go's MarshalIndent with four spaces): {@code
 * "Key": value}, empty containers as {@code {}} and {@code []}, and {@code <>&} escaped as Go's
 * encoder does. Key order is the daemon's.
 */
public final class JsonPrinter {
  private JsonPrinter() {}

  /** The inspect output: the objects in a JSON array, newline-terminated. */
  public static String inspectArray(List<JsonNode> objects) {
    if (objects.isEmpty()) {
      return "[]\n";
    }
    StringBuilder sb = new StringBuilder("[\n");
    for (int i = 0; i < objects.size(); i++) {
      sb.append("    ");
      write(sb, objects.get(i), 1);
      sb.append(i < objects.size() - 1 ? ",\n" : "\n");
    }
    return sb.append("]\n").toString();
  }

  public static String pretty(JsonNode node) {
    StringBuilder sb = new StringBuilder();
    write(sb, node, 0);
    return sb.toString();
  }

  private static void write(StringBuilder sb, JsonNode n, int depth) {
    if (n.isObject()) {
      if (n.isEmpty()) {
        sb.append("{}");
        return;
      }
      sb.append("{\n");
      Iterator<Map.Entry<String, JsonNode>> it = n.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        indent(sb, depth + 1);
        string(sb, e.getKey());
        sb.append(": ");
        write(sb, e.getValue(), depth + 1);
        sb.append(it.hasNext() ? ",\n" : "\n");
      }
      indent(sb, depth);
      sb.append('}');
    } else if (n.isArray()) {
      if (n.isEmpty()) {
        sb.append("[]");
        return;
      }
      sb.append("[\n");
      for (int i = 0; i < n.size(); i++) {
        indent(sb, depth + 1);
        write(sb, n.get(i), depth + 1);
        sb.append(i < n.size() - 1 ? ",\n" : "\n");
      }
      indent(sb, depth);
      sb.append(']');
    } else if (n.isTextual()) {
      string(sb, n.asText());
    } else {
      sb.append(n.toString());
    }
  }

  private static void indent(StringBuilder sb, int depth) {
    sb.append("    ".repeat(depth));
  }

  private static void string(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '<', '>', '&', '\u2028', '\u2029' -> sb.append(String.format("\\u%04x", (int) c));
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
