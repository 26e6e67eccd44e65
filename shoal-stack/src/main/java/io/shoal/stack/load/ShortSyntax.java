package io.shoal.stack.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Parsers for compose's one-line forms: ports ({@code "127.0.0.1:8000-8001:80-81/udp"}), volumes
 * ({@code "./data:/data:ro"}) and shell commands. Each returns the long form that the rest of the
 * loader works with, so merging and mapping never see two shapes of the same thing. Errors are
 * {@link IllegalArgumentException} with a short reason; the caller adds file and key path.
 */
final class ShortSyntax {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final Set<String> PROPAGATION =
      Set.of("rprivate", "private", "rshared", "shared", "rslave", "slave");
  private static final Set<String> CONSISTENCY = Set.of("cached", "delegated", "consistent", "default");

  private ShortSyntax() {}

  /** One short port spec to one or more long-form ports (ranges expand), mode ingress, as docker. */
  static List<ObjectNode> ports(String spec) {
    String s = spec.trim();
    String protocol = "tcp";
    int slash = s.lastIndexOf('/');
    if (slash >= 0) {
      protocol = s.substring(slash + 1).toLowerCase(java.util.Locale.ROOT);
      s = s.substring(0, slash);
      if (!Set.of("tcp", "udp", "sctp").contains(protocol)) {
        throw new IllegalArgumentException("invalid proto: " + protocol);
      }
    }
    String ip = null;
    if (s.startsWith("[")) {
      int close = s.indexOf("]:");
      if (close < 0) throw new IllegalArgumentException("invalid port spec: " + spec);
      ip = s.substring(1, close);
      s = s.substring(close + 2);
    }
    String[] parts = s.split(":", -1);
    String published;
    String target;
    switch (parts.length) {
      case 1 -> {
        published = "";
        target = parts[0];
      }
      case 2 -> {
        published = parts[0];
        target = parts[1];
      }
      case 3 -> {
        if (ip != null) throw new IllegalArgumentException("invalid port spec: " + spec);
        ip = parts[0];
        published = parts[1];
        target = parts[2];
      }
      default -> throw new IllegalArgumentException("invalid port spec: " + spec);
    }
    int[] t = range(target, spec);
    int[] p = published.isEmpty() ? null : range(published, spec);
    if (p != null && (p[1] - p[0]) != (t[1] - t[0])) {
      throw new IllegalArgumentException(
          "invalid ranges specified for container and host ports: " + spec);
    }
    List<ObjectNode> out = new ArrayList<>();
    for (int i = 0; i <= t[1] - t[0]; i++) {
      ObjectNode port = F.objectNode();
      port.put("mode", "ingress");
      port.put("target", t[0] + i);
      if (p != null && p[0] + i != 0) port.put("published", p[0] + i);
      port.put("protocol", protocol);
      if (ip != null && !ip.isEmpty()) port.put("host_ip", ip);
      out.add(port);
    }
    return out;
  }

  static int[] range(String text, String spec) {
    String[] ends = text.split("-", -1);
    try {
      if (ends.length == 1) {
        int v = port(ends[0]);
        return new int[] {v, v};
      }
      if (ends.length == 2) {
        int a = port(ends[0]);
        int b = port(ends[1]);
        if (b < a) throw new IllegalArgumentException("invalid port range: " + text);
        return new int[] {a, b};
      }
    } catch (NumberFormatException e) {
      // fall through to the error below
    }
    throw new IllegalArgumentException("invalid port: " + text + " in " + spec);
  }

  private static int port(String s) {
    int v = Integer.parseInt(s.trim());
    if (v < 0 || v > 65535) throw new NumberFormatException(s);
    return v;
  }

  /**
   * {@code [source:]target[:mode,...]} to the long form. A source that is a path (starts with
   * {@code . / ~}) is a bind mount; any other source is a named volume; no source an anonymous one.
   */
  static ObjectNode volume(String spec) {
    String[] parts = spec.split(":", -1);
    String source = "";
    String target;
    String modes = "";
    switch (parts.length) {
      case 1 -> target = parts[0];
      case 2 -> {
        source = parts[0];
        target = parts[1];
      }
      case 3 -> {
        source = parts[0];
        target = parts[1];
        modes = parts[2];
      }
      default -> throw new IllegalArgumentException("invalid volume spec: " + spec);
    }
    if (target.isEmpty()) throw new IllegalArgumentException("invalid volume spec (empty target): " + spec);
    ObjectNode v = F.objectNode();
    boolean bind = isPath(source);
    v.put("type", source.isEmpty() ? "volume" : bind ? "bind" : "volume");
    if (!source.isEmpty()) v.put("source", source);
    v.put("target", target);
    for (String m : modes.isEmpty() ? new String[0] : modes.split(",")) {
      if (m.equals("ro")) v.put("read_only", true);
      else if (m.equals("rw")) v.put("read_only", false);
      else if (m.equals("nocopy")) v.putObject("volume").put("nocopy", true);
      else if (PROPAGATION.contains(m)) v.putObject("bind").put("propagation", m);
      else if (CONSISTENCY.contains(m)) v.put("consistency", m);
      else if (!m.equals("z") && !m.equals("Z")) {
        throw new IllegalArgumentException("invalid mode " + m + " in volume " + spec);
      }
    }
    return v;
  }

  static boolean isPath(String s) {
    return s.startsWith(".") || s.startsWith("/") || s.startsWith("~");
  }

  /** Splits a command line as a POSIX shell would (quotes and backslashes), without expansions. */
  static List<String> shellSplit(String line) {
    return io.shoal.api.text.ShellWords.split(line);
  }

  static String text(JsonNode n) {
    if (n == null || n.isNull()) return null;
    if (n.isNumber()) return n.numberValue().toString();
    return n.asText();
  }
}
