package io.shoal.stack.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shoal.stack.StackException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Reads one YAML document into a Jackson tree with SnakeYAML's SafeConstructor, which resolves
 * anchors, aliases and {@code <<:} merge keys (Jackson's YAML module does not merge).
 *
 * <p>Scalars are resolved the way docker's Go YAML v3 parser does, not by YAML 1.1: only
 * {@code true/false} are booleans ({@code yes}, {@code on} stay strings) and timestamps stay
 * strings, so {@code restart: no} or a date-like label keeps its text. Duplicate keys are an
 * error, as in docker. Stateless and thread-safe (a new parser per call).
 */
final class YamlReader {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private YamlReader() {}

  static JsonNode read(String fileName, String text) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(1000);
    options.setCodePointLimit(16 * 1024 * 1024);
    Yaml yaml = new Yaml(new SafeConstructor(options), new Representer(new DumperOptions()),
        new DumperOptions(), options, new ComposeResolver());
    Object doc;
    try {
      doc = yaml.load(text);
    } catch (MarkedYAMLException e) {
      String where = e.getProblemMark() == null ? ""
          : " line " + (e.getProblemMark().getLine() + 1) + ", column " + (e.getProblemMark().getColumn() + 1) + ":";
      throw new StackException.InvalidCompose(
          fileName + ": invalid YAML:" + where + " " + e.getProblem(), e);
    } catch (YAMLException e) {
      throw new StackException.InvalidCompose(fileName + ": invalid YAML: " + e.getMessage(), e);
    }
    if (doc == null) {
      throw new StackException.InvalidCompose(fileName + ": empty compose file");
    }
    if (!(doc instanceof Map)) {
      throw new StackException.InvalidCompose(fileName + ": top-level object must be a mapping");
    }
    return toNode(doc);
  }

  private static JsonNode toNode(Object o) {
    if (o == null) return F.nullNode();
    if (o instanceof Map<?, ?> m) {
      ObjectNode n = F.objectNode();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        // Go's YAML turns non-string keys (e.g. a port number) into their text; so do we.
        n.set(String.valueOf(e.getKey()), toNode(e.getValue()));
      }
      return n;
    }
    if (o instanceof List<?> l) {
      ArrayNode a = F.arrayNode();
      l.forEach(x -> a.add(toNode(x)));
      return a;
    }
    if (o instanceof String s) return F.textNode(s);
    if (o instanceof Boolean b) return F.booleanNode(b);
    if (o instanceof Integer i) return F.numberNode(i.longValue());
    if (o instanceof Long l) return F.numberNode(l);
    if (o instanceof BigInteger b) return F.numberNode(b);
    if (o instanceof Double d) return F.numberNode(BigDecimal.valueOf(d));
    if (o instanceof Float f) return F.numberNode(BigDecimal.valueOf(f));
    if (o instanceof byte[] b) return F.textNode(new String(b, java.nio.charset.StandardCharsets.UTF_8));
    return F.textNode(String.valueOf(o));
  }

  /** YAML 1.2 core-schema resolution (what docker's parser does), plus the merge key. */
  private static final class ComposeResolver extends Resolver {
    private static final Pattern BOOL = Pattern.compile("^(?:true|True|TRUE|false|False|FALSE)$");
    private static final Pattern INT = Pattern.compile(
        "^(?:[-+]?[0-9]+|0x[0-9a-fA-F]+)$");
    private static final Pattern FLOAT = Pattern.compile(
        "^(?:[-+]?(?:\\.[0-9]+|[0-9]+(?:\\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$");
    private static final Pattern NULL = Pattern.compile("^(?:~|null|Null|NULL|)$");
    private static final Pattern MERGE = Pattern.compile("^(?:<<)$");

    @Override
    protected void addImplicitResolvers() {
      addImplicitResolver(Tag.BOOL, BOOL, "tTfF");
      addImplicitResolver(Tag.INT, INT, "-+0123456789");
      addImplicitResolver(Tag.FLOAT, FLOAT, "-+0123456789.");
      addImplicitResolver(Tag.MERGE, MERGE, "<");
      addImplicitResolver(Tag.NULL, NULL, "~nN\0");
      addImplicitResolver(Tag.NULL, Pattern.compile("^$"), null);
    }
  }
}
