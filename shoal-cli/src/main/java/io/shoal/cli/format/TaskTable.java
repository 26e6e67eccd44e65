package io.shoal.cli.format;

import io.shoal.api.model.Task;
import io.shoal.api.model.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The task table of {@code service ps} and {@code node ps}: ID NAME IMAGE NODE DESIRED STATE
 * CURRENT STATE ERROR PORTS. Tasks of one slot are grouped, newest first; older ones are shown as
 * {@code " \_ web.1"} like docker's history view.
 */
public final class TaskTable {
  public static final List<String> FIELDS = List.of("ID", "Name", "Image", "Node", "DesiredState",
      "CurrentState", "Error", "Ports");
  public static final Map<String, String> HEADERS = headers();

  private TaskTable() {}

  private static Map<String, String> headers() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("ID", "ID");
    h.put("Name", "NAME");
    h.put("Image", "IMAGE");
    h.put("Node", "NODE");
    h.put("DesiredState", "DESIRED STATE");
    h.put("CurrentState", "CURRENT STATE");
    h.put("Error", "ERROR");
    h.put("Ports", "PORTS");
    return h;
  }

  /**
   * Rows as field maps, in display order.
   *
   * @param serviceNames service id → name
   * @param nodeNames node id → hostname
   */
  public static List<Map<String, String>> rows(List<Task> tasks, Map<String, String> serviceNames,
      Map<String, String> nodeNames, Instant now, boolean noTrunc, boolean noResolve) {
    List<Task> sorted = new ArrayList<>(tasks);
    sorted.sort(Comparator.comparing((Task t) -> serviceNames.getOrDefault(t.serviceID(), t.serviceID()))
        .thenComparingLong(Task::slot)
        .thenComparing(t -> t.slot() == 0 && t.nodeID() != null ? t.nodeID() : "")
        .thenComparing(t -> t.createdAt() == null ? Instant.EPOCH : t.createdAt(), Comparator.reverseOrder()));
    List<Map<String, String>> rows = new ArrayList<>();
    String previous = null;
    for (Task t : sorted) {
      String service = noResolve ? t.serviceID() : serviceNames.getOrDefault(t.serviceID(), t.serviceID());
      String name = service + "." + (t.slot() != 0 ? Long.toString(t.slot()) : t.nodeID());
      Map<String, String> r = new LinkedHashMap<>();
      r.put("ID", Display.shortId(t.id(), noTrunc));
      r.put("Name", name.equals(previous) ? " \\_ " + name : name);
      previous = name;
      r.put("Image", Display.image(t.spec() == null || t.spec().containerSpec() == null ? ""
          : t.spec().containerSpec().image(), noTrunc));
      String node = t.nodeID() == null ? "" : noResolve ? t.nodeID() : nodeNames.getOrDefault(t.nodeID(), t.nodeID());
      r.put("Node", node);
      r.put("DesiredState", t.desiredState() == null ? "" : Display.capitalize(t.desiredState().wire()));
      r.put("CurrentState", currentState(t, now));
      r.put("Error", Display.taskError(t.status() == null ? null : t.status().err(), noTrunc));
      r.put("Ports", t.status() == null || t.status().portStatus() == null ? ""
          : Display.ports(t.status().portStatus().ports() == null ? List.of() : t.status().portStatus().ports()));
      rows.add(r);
    }
    return rows;
  }

  /** {@code Running 5 seconds ago}. */
  static String currentState(Task t, Instant now) {
    TaskState s = t.state();
    String word = Display.capitalize(s.wire());
    if (t.status() == null || t.status().timestamp() == null) {
      return word;
    }
    Duration ago = Duration.between(t.status().timestamp(), now);
    if (ago.isNegative()) {
      ago = Duration.ZERO;
    }
    return word + " " + HumanTime.duration(ago) + " ago";
  }

  public static String render(List<Map<String, String>> rows) {
    Table table = new Table(HEADERS.values().toArray(new String[0]));
    for (Map<String, String> r : rows) {
      table.row(FIELDS.stream().map(f -> r.getOrDefault(f, "")).toList());
    }
    return table.render();
  }
}
