package io.shoal.stack.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import io.shoal.stack.StackException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a compose tree against Shoal's own compose schema ({@code compose-schema.json} beside
 * this class) and turns the validator's findings into one message a user can act on:
 * {@code <file>: <key path>: <what is wrong>}, e.g. {@code stack.yml: services.web.ports.0: must be
 * a number, string or object}.
 *
 * <p>Among many findings the deepest key path wins, because a failing {@code oneOf} also reports
 * every branch at its parent and the deepest one is where the user's mistake is. Thread-safe: the
 * compiled schema is immutable and shared.
 */
final class SchemaValidator {
  private static final String IRI = "https://shoal.io/schema/compose.json";
  private static final Schema SCHEMA = load();

  private SchemaValidator() {}

  private static Schema load() {
    try (InputStream in = SchemaValidator.class.getResourceAsStream("compose-schema.json")) {
      JsonNode node = new ObjectMapper().readTree(in);
      SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7);
      return registry.getSchema(SchemaLocation.of(IRI), node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void validate(String fileName, JsonNode root) {
    List<Error> errors = SCHEMA.validate(root);
    if (errors.isEmpty()) return;
    throw new StackException.InvalidCompose(fileName + ": " + describe(root, errors));
  }

  private static String describe(JsonNode root, List<Error> errors) {
    List<Error> sorted = new ArrayList<>(errors);
    // Deepest instance first; then prefer concrete findings over the oneOf/anyOf summary.
    sorted.sort(Comparator.<Error>comparingInt(e -> -depth(e.getInstanceLocation()))
        .thenComparingInt(e -> isCombinator(e) ? 1 : 0));
    Error first = sorted.get(0);
    NodePath at = first.getInstanceLocation();
    List<Error> here = sorted.stream().filter(e -> e.getInstanceLocation().equals(at)).toList();
    String path = dotted(at);
    String prefix = path.isEmpty() ? "" : path + ": ";
    // A value of the right type that breaks a rule of its branch (a port mapping without
    // target) is the finding that matters; "wrong type" for the other oneOf branches is noise.
    java.util.Optional<Error> specific = here.stream()
        .filter(x -> !isCombinator(x) && !"type".equals(x.getKeyword())).findFirst();
    if (specific.isEmpty() && here.stream().anyMatch(x -> "type".equals(x.getKeyword()))) {
      Set<String> types = new LinkedHashSet<>();
      for (Error x : here) {
        if ("type".equals(x.getKeyword())) types.addAll(expectedTypes(x.getSchemaNode()));
      }
      return prefix + "must be " + article(types);
    }
    Error e = specific.orElse(first);
    return prefix + message(e);
  }

  private static String message(Error e) {
    String kw = String.valueOf(e.getKeyword());
    Object[] args = e.getArguments() == null ? new Object[0] : e.getArguments();
    String arg0 = args.length > 0 ? String.valueOf(args[0]) : e.getProperty();
    return switch (kw) {
      case "additionalProperties" -> "additional property " + (e.getProperty() != null ? e.getProperty() : arg0)
          + " is not allowed";
      case "required" -> (e.getProperty() != null ? e.getProperty() : arg0) + " is required";
      case "enum" -> "must be one of " + e.getSchemaNode();
      case "pattern" -> String.valueOf(e.getSchemaLocation()).contains("duration")
          ? "must be a duration such as 10s, 1m30s or 1h, not " + e.getInstanceNode()
          : e.getInstanceNode() + " does not match " + e.getSchemaNode();
      case "uniqueItems" -> "must not contain the same item twice";
      case "minimum", "maximum" -> "must be " + (kw.equals("minimum") ? ">= " : "<= ") + e.getSchemaNode();
      case "oneOf", "anyOf" -> "does not match any allowed form";
      default -> stripPath(e.getMessage());
    };
  }

  private static String stripPath(String m) {
    // networknt prefixes its text with the JSON path ("$.services.web: ..."); we already print ours.
    int colon = m == null ? -1 : m.indexOf(": ");
    return colon > 0 && m.startsWith("$") ? m.substring(colon + 2) : String.valueOf(m);
  }

  private static boolean isCombinator(Error e) {
    return "oneOf".equals(e.getKeyword()) || "anyOf".equals(e.getKeyword());
  }

  private static List<String> expectedTypes(JsonNode typeNode) {
    List<String> out = new ArrayList<>();
    if (typeNode == null) return out;
    if (typeNode.isArray()) typeNode.forEach(t -> out.add(t.asText()));
    else if (typeNode.isTextual()) out.add(typeNode.asText());
    else if (typeNode.has("type")) return expectedTypes(typeNode.get("type"));
    out.replaceAll(t -> t.equals("object") ? "mapping" : t.equals("array") ? "list" : t);
    return out;
  }

  private static String article(Set<String> types) {
    List<String> words = new ArrayList<>();
    for (String t : types) {
      words.add((t.equals("integer") || t.equals("object") ? "an " : t.equals("null") ? "" : "a ") + t);
    }
    if (words.size() == 1) return words.get(0);
    return String.join(", ", words.subList(0, words.size() - 1)) + " or " + words.get(words.size() - 1);
  }

  private static int depth(NodePath p) {
    return p == null ? 0 : p.getNameCount();
  }

  static String dotted(NodePath p) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < p.getNameCount(); i++) {
      if (i > 0) sb.append('.');
      sb.append(p.getElement(i));
    }
    return sb.toString();
  }
}
