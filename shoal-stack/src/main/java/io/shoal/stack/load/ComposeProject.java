package io.shoal.stack.load;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The result of loading: one merged, interpolated, validated compose model in long form (see
 * {@link ComposeLoader} for the shape), the warnings docker would print, the project directory and
 * the variables used (the injected environment over {@code .env}).
 *
 * @param model    the merged tree; treat as read-only
 * @param warnings lines such as {@code Ignoring unsupported options: build}, for the user
 */
public record ComposeProject(JsonNode model, List<String> warnings, Path workingDir, Map<String, String> environment) {
  public ComposeProject {
    warnings = List.copyOf(warnings);
    environment = Map.copyOf(environment);
  }
}
