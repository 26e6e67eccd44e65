package io.shoal.cli.format;

import java.util.ArrayList;
import java.util.List;

/**
 * Column-aligned text like Go's tabwriter as docker configures it (min width 10, padding 3,
 * spaces): each column is as wide as its longest cell plus 3, at least 10; the last column is not
 * padded. Widths count code points, so "…" is one column.
 */
public final class Table {
  private static final int MIN_WIDTH = 10;
  private static final int PADDING = 3;
  private final List<List<String>> rows = new ArrayList<>();

  public Table(String... header) {
    rows.add(List.of(header));
  }

  /** A table without a header row (for {@code --format} templates without {@code table}). */
  public static Table headless() {
    Table t = new Table();
    t.rows.clear();
    return t;
  }

  public Table row(String... cells) {
    rows.add(List.of(cells));
    return this;
  }

  public Table row(List<String> cells) {
    rows.add(List.copyOf(cells));
    return this;
  }

  public String render() {
    int cols = rows.stream().mapToInt(List::size).max().orElse(0);
    int[] width = new int[cols];
    for (List<String> r : rows) {
      for (int i = 0; i < r.size() - 1; i++) {
        width[i] = Math.max(width[i], Math.max(MIN_WIDTH, len(r.get(i)) + PADDING));
      }
    }
    StringBuilder sb = new StringBuilder();
    for (List<String> r : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < r.size(); i++) {
        String cell = r.get(i);
        line.append(cell);
        if (i < r.size() - 1) {
          line.append(" ".repeat(width[i] - len(cell)));
        }
      }
      sb.append(line).append('\n');
    }
    return sb.toString();
  }

  private static int len(String s) {
    return s.codePointCount(0, s.length());
  }
}
