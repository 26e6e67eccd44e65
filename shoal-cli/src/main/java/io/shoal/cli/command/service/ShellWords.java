package io.shoal.cli.command.service;

import io.shoal.cli.UsageException;
import java.util.List;

/**
 * Splits {@code --args} and {@code --entrypoint} strings into words the way a POSIX shell would
 * (single and double quotes, backslash escapes), as docker does; the splitting itself is
 * {@link io.shoal.api.text.ShellWords}, shared with the compose loader.
 */
final class ShellWords {
  private ShellWords() {}

  static List<String> split(String flag, String s) {
    try {
      return io.shoal.api.text.ShellWords.split(s);
    } catch (IllegalArgumentException e) {
      throw UsageException.badValue(flag, s, "unterminated quote");
    }
  }
}
