package io.shoal.cli.progress;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Draws progress frames. On a terminal each frame overwrites the previous one in place (cursor up,
 * erase line), as docker's live display does; otherwise a line is printed only when its text
 * changed, without bars, so logs of a CI run stay readable. A quiet view prints nothing.
 */
public final class ProgressView {
  private static final String ESC = "\u001b[";
  private static final String WAITING = "verify: Waiting";
  private final PrintStream out;
  private final boolean terminal;
  private final boolean quiet;
  private int drawn; // lines of the last terminal frame
  private final Map<String, String> printed = new HashMap<>();

  public ProgressView(PrintStream out, boolean terminal, boolean quiet) {
    this.out = out;
    this.terminal = terminal;
    this.quiet = quiet;
  }

  public void show(List<String> lines) {
    if (quiet) {
      return;
    }
    if (terminal) {
      StringBuilder sb = new StringBuilder();
      if (drawn > 0) {
        sb.append(ESC).append(drawn).append('A');
      }
      for (String l : lines) {
        sb.append('\r').append(ESC).append("2K").append(l).append('\n');
      }
      // A shorter frame (e.g. the verify line went away) leaves old rows: blank them.
      for (int i = lines.size(); i < drawn; i++) {
        sb.append('\r').append(ESC).append("2K\n");
      }
      if (drawn > lines.size()) {
        sb.append(ESC).append(drawn - lines.size()).append('A');
      }
      drawn = lines.size();
      out.print(sb);
      out.flush();
      return;
    }
    for (Map.Entry<String, String> e : Progress.byKey(lines).entrySet()) {
      String plain = plain(e.getValue());
      String before = printed.get(e.getKey());
      // the countdown is for live displays; a log needs the first "Waiting" line only
      boolean countdown = before != null && before.startsWith(WAITING) && plain.startsWith(WAITING);
      if (!countdown && !plain.equals(before)) {
        printed.put(e.getKey(), plain);
        out.println(plain);
      }
    }
    out.flush();
  }

  /** {@code 1/3: running   [===>   ] } becomes {@code 1/3: running}. */
  static String plain(String line) {
    int bar = line.indexOf(" [");
    String s = bar >= 0 && line.endsWith("] ") ? line.substring(0, bar) : line;
    return s.stripTrailing();
  }
}
