package io.shoal.stack.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shoal.stack.StackException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Compose variable substitution: {@code $VAR}, {@code ${VAR}}, {@code ${VAR:-default}} (unset or
 * empty), {@code ${VAR-default}} (unset), {@code ${VAR:?message}} / {@code ${VAR?message}}
 * (required), {@code ${VAR:+alt}} / {@code ${VAR+alt}}, and {@code $$} for a literal dollar.
 * Defaults may themselves contain variables. Only values are substituted, never keys.
 *
 * <p>A value that came out of a substitution at a place where compose expects a number or a
 * boolean (e.g. {@code replicas: ${N}}) is cast, as docker does, so that the schema sees the type
 * the user meant.
 */
final class Interpolator {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  // Paths (dotted, * = any one segment) whose interpolated text is cast to a number / boolean.
  private static final List<Pattern> INTEGERS = patterns(
      "services.*.deploy.replicas",
      "services.*.deploy.update_config.parallelism",
      "services.*.deploy.rollback_config.parallelism",
      "services.*.deploy.restart_policy.max_attempts",
      "services.*.deploy.placement.max_replicas_per_node",
      "services.*.deploy.resources.limits.pids",
      "services.*.healthcheck.retries",
      "services.*.ports.*.target",
      "services.*.ports.*.published",
      "services.*.ulimits.*",
      "services.*.ulimits.*.soft",
      "services.*.ulimits.*.hard",
      "services.*.secrets.*.mode",
      "services.*.configs.*.mode",
      "services.*.oom_score_adj",
      "services.*.volumes.*.tmpfs.size");
  private static final List<Pattern> NUMBERS = patterns(
      "services.*.deploy.update_config.max_failure_ratio",
      "services.*.deploy.rollback_config.max_failure_ratio");
  private static final List<Pattern> BOOLEANS = patterns(
      "services.*.healthcheck.disable",
      "services.*.init",
      "services.*.read_only",
      "services.*.tty",
      "services.*.stdin_open",
      "services.*.privileged",
      "services.*.volumes.*.read_only",
      "services.*.volumes.*.volume.nocopy",
      "networks.*.external",
      "networks.*.internal",
      "networks.*.attachable",
      "networks.*.enable_ipv6",
      "volumes.*.external",
      "secrets.*.external",
      "configs.*.external");

  private final String fileName;
  private final Function<String, String> lookup;

  Interpolator(String fileName, Map<String, String> env) {
    this.fileName = fileName;
    this.lookup = env::get;
  }

  private static List<Pattern> patterns(String... paths) {
    List<Pattern> out = new ArrayList<>();
    for (String p : paths) {
      out.add(Pattern.compile(p.replace(".", "\\.").replace("*", "[^.]+")));
    }
    return out;
  }

  /** Returns a substituted copy of {@code root}. */
  JsonNode interpolate(JsonNode root) {
    return walk(root, "");
  }

  private JsonNode walk(JsonNode node, String path) {
    if (node.isObject()) {
      ObjectNode out = F.objectNode();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        out.set(e.getKey(), walk(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey()));
      }
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = F.arrayNode();
      for (int i = 0; i < node.size(); i++) {
        out.add(walk(node.get(i), path + "." + i));
      }
      return out;
    }
    if (node.isTextual() && node.asText().indexOf('$') >= 0) {
      String value = substitute(node.asText(), path);
      return cast(value, path);
    }
    return node;
  }

  private JsonNode cast(String value, String path) {
    String v = value.trim();
    if (matches(INTEGERS, path) && v.matches("-?[0-9]+")) return F.numberNode(Long.parseLong(v));
    if (matches(NUMBERS, path) && v.matches("-?[0-9]*\\.?[0-9]+([eE][-+]?[0-9]+)?")) {
      return F.numberNode(new java.math.BigDecimal(v));
    }
    if (matches(BOOLEANS, path)) {
      switch (v.toLowerCase(java.util.Locale.ROOT)) {
        case "true", "yes", "y", "on" -> { return F.booleanNode(true); }
        case "false", "no", "n", "off" -> { return F.booleanNode(false); }
        default -> { }
      }
    }
    return F.textNode(value);
  }

  private static boolean matches(List<Pattern> ps, String path) {
    for (Pattern p : ps) {
      if (p.matcher(path).matches()) return true;
    }
    return false;
  }

  /** Substitutes one string; {@code path} only names the place in errors. */
  String substitute(String s, String path) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c != '$') {
        out.append(c);
        i++;
        continue;
      }
      if (i + 1 >= s.length()) {
        throw invalid(s, path);
      }
      char n = s.charAt(i + 1);
      if (n == '$') {
        out.append('$');
        i += 2;
      } else if (n == '{') {
        int end = closingBrace(s, i + 2);
        if (end < 0) throw invalid(s, path);
        out.append(braced(s.substring(i + 2, end), s, path));
        i = end + 1;
      } else if (isNameStart(n)) {
        int j = i + 1;
        while (j < s.length() && isNamePart(s.charAt(j))) j++;
        String value = lookup.apply(s.substring(i + 1, j));
        out.append(value == null ? "" : value);
        i = j;
      } else {
        throw invalid(s, path);
      }
    }
    return out.toString();
  }

  /** Finds the brace closing a {@code ${...}}, allowing nested {@code ${...}} in defaults. */
  private static int closingBrace(String s, int from) {
    int depth = 1;
    for (int i = from; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '$' && i + 1 < s.length() && s.charAt(i + 1) == '{') {
        depth++;
        i++;
      } else if (c == '}') {
        depth--;
        if (depth == 0) return i;
      }
    }
    return -1;
  }

  private String braced(String body, String whole, String path) {
    int j = 0;
    while (j < body.length() && isNamePart(body.charAt(j))) j++;
    String name = body.substring(0, j);
    if (name.isEmpty() || !isNameStart(name.charAt(0))) throw invalid(whole, path);
    String rest = body.substring(j);
    String value = lookup.apply(name);
    if (rest.isEmpty()) return value == null ? "" : value;
    boolean colon = rest.startsWith(":");
    String op = colon ? rest.substring(0, Math.min(2, rest.length())) : rest.substring(0, 1);
    String arg = rest.substring(op.length());
    boolean unset = value == null;
    boolean missing = colon ? unset || value.isEmpty() : unset;
    switch (op.charAt(op.length() - 1)) {
      case '-' -> {
        return missing ? substitute(arg, path) : value;
      }
      case '?' -> {
        if (missing) {
          String msg = substitute(arg, path);
          throw new StackException.InvalidCompose(fileName + ": " + path
              + ": required variable " + name + " is missing a value" + (msg.isEmpty() ? "" : ": " + msg));
        }
        return value;
      }
      case '+' -> {
        return missing ? "" : substitute(arg, path);
      }
      default -> throw invalid(whole, path);
    }
  }

  private StackException.InvalidCompose invalid(String s, String path) {
    return new StackException.InvalidCompose(fileName + ": " + path + ": invalid interpolation format \""
        + s + "\"; you may need to escape any $ with another $");
  }

  private static boolean isNameStart(char c) {
    return c == '_' || Character.isLetter(c);
  }

  private static boolean isNamePart(char c) {
    return c == '_' || Character.isLetterOrDigit(c);
  }
}
