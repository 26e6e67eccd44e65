package io.shoal.stack.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shoal.stack.StackException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads compose files (3.x and the unversioned compose spec) into one {@link ComposeProject}.
 *
 * <p>Per file, in docker's order: parse YAML (anchors, {@code <<:} merge keys), refuse forbidden
 * keys, interpolate variables, validate against Shoal's schema, collect warnings, normalize to the
 * long form. Then the files are merged ({@link Merger} documents the rules). Any problem is a
 * {@link StackException.InvalidCompose} whose message starts with the file name and key path.
 *
 * <p>Variables come from the injected environment first, then from an env file: the one given to
 * {@link Builder#envFile}, or else {@code .env} beside the first compose file if it exists. The
 * loader never reads the process environment itself; the caller passes {@code System.getenv()}
 * if it wants that. Immutable and thread-safe.
 */
public final class ComposeLoader {
  private final Map<String, String> environment;
  private final Path envFile;

  private ComposeLoader(Builder b) {
    this.environment = Map.copyOf(b.environment);
    this.envFile = b.envFile;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Reads and loads files; the first file's directory is the project directory. */
  public ComposeProject load(List<Path> files) {
    if (files.isEmpty()) throw new StackException.InvalidCompose("no compose file given");
    List<ComposeSource> sources = new ArrayList<>();
    for (Path f : files) {
      try {
        sources.add(ComposeSource.of(f));
      } catch (NoSuchFileException e) {
        throw new StackException.InvalidCompose(f + ": no such file");
      } catch (IOException e) {
        throw new StackException.InvalidCompose(f + ": cannot read: " + e.getMessage(), e);
      }
    }
    return loadSources(sources);
  }

  /** Loads texts already in memory; the first source's {@code dir} is the project directory. */
  public ComposeProject loadSources(List<ComposeSource> sources) {
    if (sources.isEmpty()) throw new StackException.InvalidCompose("no compose file given");
    Path workingDir = sources.get(0).dir();
    Map<String, String> env = variables(workingDir);
    Warnings warnings = new Warnings();
    List<ObjectNode> normalized = new ArrayList<>();
    for (ComposeSource src : sources) {
      JsonNode raw = YamlReader.read(src.name(), src.text());
      Warnings.checkForbidden(src.name(), raw);
      JsonNode interpolated = new Interpolator(src.name(), env).interpolate(raw);
      // Before the schema: a 2.x file fails on its version, not on the first 2.x-only key.
      checkVersion(src.name(), interpolated);
      SchemaValidator.validate(src.name(), interpolated);
      warnings.collect(interpolated);
      normalized.add(new Normalizer(src.name(), workingDir, env).normalize(interpolated));
    }
    ObjectNode merged = Merger.merge(normalized);
    return new ComposeProject(merged, warnings.lines(), workingDir, env);
  }

  private static void checkVersion(String name, JsonNode root) {
    JsonNode v = root.get("version");
    if (v == null) return;
    String s = v.asText();
    // Swarm reads the 3.x format and the versionless compose spec; 1.x/2.x files are another format.
    if (!s.startsWith("3")) {
      throw new StackException.InvalidCompose(name + ": version: unsupported compose file version " + s
          + "; use version 3.x or leave version out");
    }
  }

  private Map<String, String> variables(Path workingDir) {
    Map<String, String> vars = new HashMap<>();
    Path file = envFile != null ? workingDir.resolve(envFile) : workingDir.resolve(".env");
    if (envFile != null || Files.isRegularFile(file)) {
      vars.putAll(readDotEnv(file));
    }
    vars.putAll(environment);
    return vars;
  }

  /** The {@code .env} format: {@code KEY=VALUE} lines, {@code #} comments, optional quotes. */
  static Map<String, String> readDotEnv(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new StackException.InvalidCompose(file + ": env file not found");
    } catch (IOException e) {
      throw new StackException.InvalidCompose(file + ": cannot read: " + e.getMessage(), e);
    }
    Map<String, String> out = new LinkedHashMap<>();
    int n = 0;
    for (String raw : lines) {
      n++;
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) continue;
      if (line.startsWith("export ")) line = line.substring(7).stripLeading();
      int eq = line.indexOf('=');
      if (eq <= 0) {
        throw new StackException.InvalidCompose(file + ": line " + n + ": expected KEY=VALUE");
      }
      String key = line.substring(0, eq).strip();
      String value = line.substring(eq + 1).strip();
      if (value.length() >= 2 && (value.charAt(0) == '"' || value.charAt(0) == '\'')
          && value.charAt(value.length() - 1) == value.charAt(0)) {
        value = value.substring(1, value.length() - 1);
      } else {
        int hash = value.indexOf(" #");
        if (hash >= 0) value = value.substring(0, hash).strip();
      }
      out.put(key, value);
    }
    return out;
  }

  /** Options of a loader. */
  public static final class Builder {
    private final Map<String, String> environment = new HashMap<>();
    private Path envFile;

    private Builder() {}

    /** Variables for interpolation; they win over the env file's. */
    public Builder environment(Map<String, String> env) {
      environment.putAll(env);
      return this;
    }

    /** An explicit env file ({@code --env-file}), instead of {@code .env}; relative to the project dir. */
    public Builder envFile(Path file) {
      this.envFile = file;
      return this;
    }

    public ComposeLoader build() {
      return new ComposeLoader(this);
    }
  }
}
