package io.shoal.stack.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One compose file's text and the name errors call it by. {@code dir} is the directory its
 * relative paths refer to (env files, bind sources, secret files) when it is the first file.
 */
public record ComposeSource(String name, String text, Path dir) {
  public ComposeSource {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(text, "text");
    dir = dir == null ? Path.of("").toAbsolutePath() : dir.toAbsolutePath();
  }

  /** Reads a file; errors name it by the path as given. */
  public static ComposeSource of(Path file) throws IOException {
    Path abs = file.toAbsolutePath();
    return new ComposeSource(file.toString(), Files.readString(abs, StandardCharsets.UTF_8), abs.getParent());
  }

  /** Text that did not come from a file ({@code docker stack deploy -c -}); relative to {@code dir}. */
  public static ComposeSource ofText(String name, String text, Path dir) {
    return new ComposeSource(name, text, dir);
  }
}
