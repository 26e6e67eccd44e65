package io.shoal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.shoal.api.json.Json;
import io.shoal.api.model.Node;
import io.shoal.api.model.Service;
import io.shoal.api.model.Task;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Recorded daemon responses (shaped per moby's swagger) under src/test/resources/fixtures. */
public final class Fixtures {
  private Fixtures() {}

  public static String text(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static JsonNode json(String name) {
    try {
      return Json.lenient().readTree(text(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static <T> List<T> list(String name, Class<T> type) {
    List<T> out = new ArrayList<>();
    json(name).forEach(n -> out.add(Json.lenient().convertValue(n, type)));
    return out;
  }

  public static List<Service> services() {
    return list("services.json", Service.class);
  }

  public static List<Task> tasks() {
    return list("tasks.json", Task.class);
  }

  public static List<Node> nodes() {
    return list("nodes.json", Node.class);
  }
}
