package io.shoal.api.validation;

import io.shoal.api.error.ShoalException;
import io.shoal.api.model.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One placement constraint, {@code key==value} or {@code key!=value}, over the keys Swarm knows:
 * {@code node.id}, {@code node.hostname}, {@code node.role}, {@code node.platform.os}, {@code
 * node.platform.arch}, {@code node.labels.<k>}, {@code engine.labels.<k>}. As in Swarm, values
 * always compare case-insensitively (labels too); only a label's key is case-sensitive.
 */
public record Constraint(String key, boolean equals, String value) {

  public static List<Constraint> parseAll(List<String> exprs) {
    List<Constraint> out = new ArrayList<>();
    if (exprs != null) for (String e : exprs) out.add(parse(e));
    return out;
  }

  public static Constraint parse(String expr) {
    int eq = expr.indexOf("==");
    int ne = expr.indexOf("!=");
    int at;
    boolean equals;
    if (eq >= 0 && (ne < 0 || eq < ne)) {
      at = eq;
      equals = true;
    } else if (ne >= 0) {
      at = ne;
      equals = false;
    } else {
      throw new ShoalException.InvalidSpec("invalid constraint \"" + expr + "\": expected key==value or key!=value");
    }
    String key = expr.substring(0, at).trim();
    String value = expr.substring(at + 2).trim();
    String k = key.toLowerCase(Locale.ROOT);
    boolean known = k.equals("node.id") || k.equals("node.hostname") || k.equals("node.role")
        || k.equals("node.platform.os") || k.equals("node.platform.arch")
        || (k.startsWith("node.labels.") && k.length() > 12)
        || (k.startsWith("engine.labels.") && k.length() > 14);
    if (!known) {
      throw new ShoalException.InvalidSpec("invalid constraint \"" + expr + "\": unknown key \"" + key + "\"");
    }
    if (value.isEmpty() || value.contains("==") || value.contains("!=")) {
      throw new ShoalException.InvalidSpec("invalid constraint \"" + expr + "\": missing or malformed value");
    }
    return new Constraint(key, equals, value);
  }

  /** Whether {@code node} satisfies this constraint. */
  public boolean matches(Node node) {
    String k = key.toLowerCase(Locale.ROOT);
    String actual;
    if (k.equals("node.id")) actual = node.id();
    else if (k.equals("node.hostname")) actual = node.description() == null ? null : node.description().hostname();
    else if (k.equals("node.role")) actual = node.spec() == null ? null : node.spec().role();
    else if (k.equals("node.platform.os")) actual = platform(node, true);
    else if (k.equals("node.platform.arch")) actual = platform(node, false);
    else if (k.startsWith("node.labels.")) {
      actual = label(node.spec() == null ? null : node.spec().labels(), key.substring(12));
    } else {
      Map<String, String> engine = node.description() == null || node.description().engine() == null
          ? null : node.description().engine().labels();
      actual = label(engine, key.substring(14));
    }
    boolean same = actual != null && actual.equalsIgnoreCase(value);
    return equals == same;
  }

  private static String platform(Node n, boolean os) {
    if (n.description() == null || n.description().platform() == null) return null;
    return os ? n.description().platform().os() : n.description().platform().architecture();
  }

  private static String label(Map<String, String> labels, String name) {
    return labels == null ? null : labels.get(name);
  }

  @Override
  public String toString() {
    return key + (equals ? "==" : "!=") + value;
  }
}
