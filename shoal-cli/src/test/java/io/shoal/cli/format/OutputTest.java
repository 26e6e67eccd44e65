package io.shoal.cli.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.shoal.api.json.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tables, inspect JSON and templates. */
class OutputTest {
  @Test
  void tableAlignsLikeDockersTabwriter() {
    String out = new Table("ID", "NAME", "PORTS").row("abcdefghijkl", "web", "*:8080->80/tcp").row("x", "a-longer-name", "").render();
    assertThat(out).isEqualTo(
        "ID             NAME            PORTS\n"
      + "abcdefghijkl   web             *:8080->80/tcp\n"
      + "x              a-longer-name   \n");
  }

  @Test
  void inspectJsonIsGoMarshalIndent() throws Exception {
    JsonNode n = Json.lenient().readTree("{\"ID\":\"a\",\"Spec\":{\"Name\":\"<w>\",\"Labels\":{},\"Env\":[]},\"Ports\":[1,2],\"Ok\":true,\"F\":0.5}");
    assertThat(JsonPrinter.inspectArray(List.of(n))).isEqualTo(
        "[\n"
      + "    {\n"
      + "        \"ID\": \"a\",\n"
      + "        \"Spec\": {\n"
      + "            \"Name\": \"\\u003cw\\u003e\",\n"
      + "            \"Labels\": {},\n"
      + "            \"Env\": []\n"
      + "        },\n"
      + "        \"Ports\": [\n"
      + "            1,\n"
      + "            2\n"
      + "        ],\n"
      + "        \"Ok\": true,\n"
      + "        \"F\": 0.5\n"
      + "    }\n"
      + "]\n");
    assertThat(JsonPrinter.inspectArray(List.of())).isEqualTo("[]\n");
  }

  @Test
  void templatesFillFieldsAndTables() {
    Map<String, String> row = new LinkedHashMap<>();
    row.put("ID", "abc");
    row.put("Name", "web");
    Map<String, String> headers = Map.of("ID", "ID", "Name", "NAME");
    assertThat(Template.parse("{{.ID}}: {{ .Name }}", row.keySet()).render(List.of(row), headers))
        .isEqualTo("abc: web\n");
    assertThat(Template.parse("table {{.ID}}\\t{{.Name}}", row.keySet()).render(List.of(row), headers))
        .isEqualTo("ID        NAME\nabc       web\n");
    assertThatThrownBy(() -> Template.parse("{{.Nope}}", row.keySet())).hasMessageContaining("can't evaluate field Nope");
    assertThatThrownBy(() -> Template.parse("{{json .}}", row.keySet())).hasMessageContaining("unsupported action");
  }

  @Test
  void displayRules() {
    assertThat(Display.shortId("0123456789abcdefghijklmno", false)).isEqualTo("0123456789ab");
    assertThat(Display.shortId("0123456789abcdefghijklmno", true)).hasSize(25);
    assertThat(Display.image("busybox:1@sha256:abc", false)).isEqualTo("busybox:1");
    assertThat(Display.taskError("no suitable node (1 node not available for new tasks)", false))
        .isEqualTo("\"no suitable node (1 node not \u2026\"");
    assertThat(Display.taskError("short", false)).isEqualTo("\"short\"");
    assertThat(Display.taskError("", false)).isEmpty();
  }
}
