package io.shoal.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import io.shoal.api.json.Json;
import io.shoal.api.model.Cluster;
import io.shoal.api.model.ContainerSpec;
import io.shoal.api.model.Network;
import io.shoal.api.model.Node;
import io.shoal.api.model.ServiceSpec;
import io.shoal.api.model.TaskSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * T1: docs/COMPATIBILITY.md has a row for every JSON field of the swarm spec records, each marked
 * honoured (with evidence), refused (with its message) or gap — so no field is accepted silently
 * without the table saying so — and no row names a field the records do not have.
 */
class CompatibilityTableTest {
  private static final Map<String, Class<?>> OBJECTS = new LinkedHashMap<>();

  static {
    OBJECTS.put("ServiceSpec", ServiceSpec.class);
    OBJECTS.put("TaskSpec", TaskSpec.class);
    OBJECTS.put("ContainerSpec", ContainerSpec.class);
    OBJECTS.put("NodeSpec", Node.NodeSpec.class);
    OBJECTS.put("SwarmSpec", Cluster.SwarmSpec.class);
    OBJECTS.put("NetworkCreate", Network.NetworkSpec.class);
  }

  private static List<String> jsonFields(Class<?> type) {
    var config = Json.lenient().getSerializationConfig();
    BeanDescription d = config.introspect(config.constructType(type));
    List<String> out = new ArrayList<>();
    for (BeanPropertyDefinition p : d.findProperties()) if (p.couldSerialize()) out.add(p.getName());
    return out;
  }

  @Test
  void everyFieldOfTheSwarmSpecsIsInTheTableAndMarked() throws Exception {
    Path doc = Path.of("..", "docs", "COMPATIBILITY.md");
    Map<String, String> rows = new LinkedHashMap<>();
    for (String line : Files.readAllLines(doc)) {
      String[] cells = line.split("\\|");
      if (cells.length < 5 || !OBJECTS.containsKey(cells[1].trim())) continue;
      rows.put(cells[1].trim() + "." + cells[2].trim(), cells[3].trim() + " | " + cells[4].trim());
    }
    TreeSet<String> missing = new TreeSet<>();
    TreeSet<String> expected = new TreeSet<>();
    OBJECTS.forEach((object, type) -> {
      for (String f : jsonFields(type)) {
        expected.add(object + "." + f);
        if (!rows.containsKey(object + "." + f)) missing.add(object + "." + f);
      }
    });
    assertThat(missing).as("fields with no row in docs/COMPATIBILITY.md").isEmpty();
    assertThat(rows.keySet()).as("rows naming fields the records do not have").allMatch(expected::contains);
    rows.forEach((field, cell) -> {
      String status = cell.substring(0, cell.indexOf('|')).trim();
      String evidence = cell.substring(cell.indexOf('|') + 1).trim();
      assertThat(status).as(field).matches("(honoured|refused|gap)\\b.*");
      if (status.startsWith("honoured")) assertThat(evidence).as(field + ": the test that shows it").isNotIn("", "—");
      if (status.startsWith("refused")) assertThat(status).as(field + ": the message").contains("\"");
    });
  }
}
