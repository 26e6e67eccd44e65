package io.shoal.api.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command line into words as a POSIX shell would — single and double quotes, backslash
 * escapes, no expansions — as docker does for {@code --args}, {@code --entrypoint} and compose's
 * string-form {@code command}. Pure and stateless.
 */
public final class ShellWords {
  private ShellWords() {}

  /** @throws IllegalArgumentException on an unterminated quote */
  public static List<String> split(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote == '\'') {
        if (c == '\'') quote = 0;
        else cur.append(c);
      } else if (quote == '"') {
        if (c == '"') quote = 0;
        else if (c == '\\' && i + 1 < line.length() && "\"\\$`".indexOf(line.charAt(i + 1)) >= 0) {
          cur.append(line.charAt(++i));
        } else cur.append(c);
      } else if (c == '\'' || c == '"') {
        quote = c;
        inWord = true;
      } else if (c == '\\' && i + 1 < line.length()) {
        cur.append(line.charAt(++i));
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(cur.toString());
          cur.setLength(0);
          inWord = false;
        }
      } else {
        cur.append(c);
        inWord = true;
      }
    }
    if (quote != 0) throw new IllegalArgumentException("unterminated quote in: " + line);
    if (inWord) words.add(cur.toString());
    return words;
  }
}
