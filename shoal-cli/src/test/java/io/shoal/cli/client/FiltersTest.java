package io.shoal.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shoal.api.json.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FiltersTest {
  @Test
  void dockersMapOfTrueShape() throws Exception {
    Filters f = new Filters().addAll(List.of("name=web", "label=a=b", "Name=we\"b\\")).add("id", "x");
    String json = f.toJson();
    assertThat(json).isEqualTo("{\"id\":{\"x\":true},\"label\":{\"a=b\":true},\"name\":{\"web\":true,\"we\\\"b\\\\\":true}}");
    assertThat(Json.lenient().readValue(json, Map.class)).containsKeys("id", "label", "name");
    assertThat(new Filters().toJson()).isEmpty();
    assertThatThrownBy(() -> new Filters().addAll(List.of("novalue"))).hasMessageContaining("bad format of filter");
  }
}
