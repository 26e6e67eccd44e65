package io.shoal.stack;

import com.fasterxml.jackson.databind.JsonNode;
import io.shoal.api.json.Json;
import io.shoal.stack.load.ComposeLoader;
import io.shoal.stack.load.ComposeProject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Test helper: the compose corpus under src/test/resources/compose. */
public final class Corpus {
  public static final Map<String, String> SHOP_ENV = Map.of("WEB_TAG", "1.4.2", "FROM_ENV", "from-test", "TZ", "UTC");

  private Corpus() {}

  public static Path path(String relative) {
    try {
      return Path.of(Corpus.class.getResource("/compose/" + relative).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  public static ComposeProject load(Map<String, String> env, String... files) {
    return ComposeLoader.builder().environment(env).build()
        .load(Arrays.stream(files).map(Corpus::path).toList());
  }

  public static ComposeProject shop() {
    return load(SHOP_ENV, "webapp/docker-compose.yml");
  }

  /** Reads an expected-JSON file, replacing ${DIR} with the corpus directory of {@code relative}. */
  public static JsonNode expected(String relative) {
    try {
      Path p = path(relative);
      String text = Files.readString(p).replace("${DIR}", p.getParent().toString());
      return Json.lenient().readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A record as Docker-shaped JSON, re-read so numbers compare by value. */
  public static JsonNode json(Object value) {
    try {
      return Json.lenient().readTree(Json.string(value));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static List<String> lines(String... l) {
    return List.of(l);
  }
}
