package io.shoal.api.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;


/**
 * A parsed template: literal text and actions. An action is a field path ({@code .Task.Slot}), a
 * string literal, or a call of {@code index}, {@code env}, {@code secret} or {@code config} with
 * field-path or string arguments. Anything else (pipelines, {@code if}, {@code range}, variables)
 * is refused at parse time with a message naming it, never left literal. Immutable.
 */
public final class GoTemplate {
  private sealed interface Part permits Text, Action {}

  private record Text(String text) implements Part {}

  private record Action(String function, List<Arg> args) implements Part {}

  private record Arg(String literal, List<String> path) {}

  /** Functions a template may call with string arguments ({@code env}, {@code secret}, {@code config}). */
  public interface Functions {
    /** The value of {@code function(arg)}; throws {@link TemplateException} when it has none. */
    String call(String function, String arg);

    Functions NONE = (f, a) -> {
      throw new TemplateException("template: function \"" + f + "\" is not available here");
    };
  }

  private static final List<String> FUNCTIONS = List.of("index", "env", "secret", "config");
  private final String source;
  private final List<Part> parts;

  private GoTemplate(String source, List<Part> parts) {
    this.source = source;
    this.parts = parts;
  }

  /** True when {@code s} contains an action at all (plain strings are left as they are). */
  public static boolean isTemplate(String s) {
    return s != null && s.contains("{{");
  }

  public static GoTemplate parse(String source) {
    List<Part> parts = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    int i = 0;
    while (i < source.length()) {
      int open = source.indexOf("{{", i);
      if (open < 0) {
        text.append(source, i, source.length());
        break;
      }
      text.append(source, i, open);
      int close = source.indexOf("}}", open + 2);
      if (close < 0) throw new TemplateException("template: " + source + ": unclosed action");
      String inner = source.substring(open + 2, close);
      boolean trimLeft = inner.startsWith("-") && (inner.length() == 1 || Character.isWhitespace(inner.charAt(1)));
      boolean trimRight = inner.endsWith("-") && inner.length() > 1 && Character.isWhitespace(inner.charAt(inner.length() - 2));
      if (trimLeft) {
        inner = inner.substring(1);
        while (text.length() > 0 && Character.isWhitespace(text.charAt(text.length() - 1))) text.setLength(text.length() - 1);
      }
      if (trimRight) inner = inner.substring(0, inner.length() - 1);
      if (text.length() > 0) parts.add(new Text(text.toString()));
      text.setLength(0);
      parts.add(action(source, inner.trim()));
      i = close + 2;
      if (trimRight) while (i < source.length() && Character.isWhitespace(source.charAt(i))) i++;
    }
    if (text.length() > 0) parts.add(new Text(text.toString()));
    return new GoTemplate(source, List.copyOf(parts));
  }

  private static Action action(String source, String inner) {
    if (inner.isEmpty()) throw new TemplateException("template: " + source + ": missing value for command");
    if (inner.startsWith("/*")) return new Action("comment", List.of());
    List<String> tokens = tokens(source, inner);
    String head = tokens.get(0);
    if (head.startsWith(".") || head.startsWith("\"")) {
      if (tokens.size() > 1) throw new TemplateException("template: " + source + ": can't give argument to non-function " + head);
      return new Action(null, List.of(arg(source, head)));
    }
    if (!FUNCTIONS.contains(head)) {
      throw new TemplateException("template: " + source + ": function \"" + head + "\" not defined");
    }
    List<Arg> args = new ArrayList<>();
    for (String t : tokens.subList(1, tokens.size())) args.add(arg(source, t));
    int want = head.equals("index") ? -1 : 1;
    if ((want > 0 && args.size() != want) || (want < 0 && args.isEmpty())) {
      throw new TemplateException("template: " + source + ": wrong number of args for " + head + ": want " + (want < 0 ? "at least 1" : want) + " got " + args.size());
    }
    return new Action(head, List.copyOf(args));
  }

  private static List<String> tokens(String source, String inner) {
    List<String> out = new ArrayList<>();
    int i = 0;
    while (i < inner.length()) {
      char c = inner.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '"') {
        int j = i + 1;
        StringBuilder sb = new StringBuilder("\"");
        while (j < inner.length() && inner.charAt(j) != '"') {
          if (inner.charAt(j) == '\\' && j + 1 < inner.length()) j++;
          sb.append(inner.charAt(j++));
        }
        if (j >= inner.length()) throw new TemplateException("template: " + source + ": unterminated quoted string");
        out.add(sb.toString());
        i = j + 1;
      } else if (c == '|' || c == '$' || c == '(' || c == ':') {
        throw new TemplateException("template: " + source + ": '" + c + "' is not supported in Swarm templates here (fields, strings, index, env, secret, config)");
      } else {
        int j = i;
        while (j < inner.length() && !Character.isWhitespace(inner.charAt(j))) j++;
        String word = inner.substring(i, j);
        if (List.of("if", "range", "with", "define", "template", "block", "else", "end").contains(word)) {
          throw new TemplateException("template: " + source + ": \"" + word + "\" is not supported in Swarm templates here");
        }
        out.add(word);
        i = j;
      }
    }
    return out;
  }

  private static Arg arg(String source, String token) {
    if (token.startsWith("\"")) return new Arg(token.substring(1), null);
    if (token.startsWith(".")) {
      List<String> path = token.equals(".") ? List.of() : List.of(token.substring(1).split("\\."));
      for (String p : path) if (p.isEmpty()) throw new TemplateException("template: " + source + ": bad field " + token);
      return new Arg(null, path);
    }
    throw new TemplateException("template: " + source + ": unexpected \"" + token + "\" in operand");
  }

  /** Renders with {@code data} (nested maps of strings, numbers, maps) and {@code functions}. */
  public String render(Map<String, ?> data, Functions functions) {
    StringBuilder out = new StringBuilder();
    for (Part p : parts) {
      if (p instanceof Text t) {
        out.append(t.text());
        continue;
      }
      Action a = (Action) p;
      if ("comment".equals(a.function())) continue;
      if (a.function() == null) {
        out.append(str(value(a.args().get(0), data)));
      } else if (a.function().equals("index")) {
        Object v = value(a.args().get(0), data);
        for (Arg key : a.args().subList(1, a.args().size())) {
          if (!(v instanceof Map<?, ?> m)) throw new TemplateException("template: " + source + ": can't index item of type " + typeName(v));
          v = m.get(str(value(key, data)));
        }
        out.append(v == null ? "" : str(v));
      } else {
        out.append(functions.call(a.function(), str(value(a.args().get(0), data))));
      }
    }
    return out.toString();
  }

  private Object value(Arg a, Map<String, ?> data) {
    if (a.literal() != null) return a.literal();
    Object v = data;
    String at = "";
    for (String f : a.path()) {
      if (!(v instanceof Map<?, ?> m) || !m.containsKey(f)) {
        throw new TemplateException("template: " + source + ": can't evaluate field " + f + (at.isEmpty() ? "" : " in " + at));
      }
      v = m.get(f);
      at = at + "." + f;
    }
    return v;
  }

  private static String str(Object v) {
    if (v == null) return "<no value>";
    if (v instanceof Map<?, ?> m) return "map" + m;
    return String.valueOf(v);
  }

  private static String typeName(Object v) {
    return v == null ? "<nil>" : v instanceof String ? "string" : v instanceof Number ? "int" : v.getClass().getSimpleName();
  }


  @Override
  public String toString() {
    return source;
  }
}
