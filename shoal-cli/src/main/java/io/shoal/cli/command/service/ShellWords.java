package io.shoal.cli.command.service;

import io.shoal.cli.UsageException;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits {@code --args} and {@code --entrypoint} strings into words the way a POSIX shell would
 * (single and double quotes, backslash escapes), as docker does with shellwords.
 */
final class ShellWords {
  private ShellWords() {}

  static List<String> split(String flag, String s) {
    List<String> words = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quote == '\'') {
        if (c == '\'') {
          quote = 0;
        } else {
          cur.append(c);
        }
      } else if (quote == '"') {
        if (c == '"') {
          quote = 0;
        } else if (c == '\\' && i + 1 < s.length() && "\"\\$`".indexOf(s.charAt(i + 1)) >= 0) {
          cur.append(s.charAt(++i));
        } else {
          cur.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        inWord = true;
      } else if (c == '\\' && i + 1 < s.length()) {
        cur.append(s.charAt(++i));
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
    if (quote != 0) {
      throw UsageException.badValue(flag, s, "unterminated quote");
    }
    if (inWord) {
      words.add(cur.toString());
    }
    return words;
  }
}
