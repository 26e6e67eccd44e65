package io.shoal.api.template;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shoal.api.json.Json;
import io.shoal.api.model.ContainerSpec;
import io.shoal.api.model.Node;
import io.shoal.api.model.Task;
import java.util.LinkedHashMap;
import java.util.Map;


/**
 * Where Swarm expands templates in a task's container — hostname, each env entry, mount source
 * and target, container label values — and the placeholders it offers: {@code .Service.ID/Name/
 * Labels}, {@code .Node.ID/Hostname/Platform.OS/Platform.Architecture}, {@code .Task.ID/Name/Slot}.
 * Checked at service create/update ({@link #validate}) so a bad template is a 400 then, not a task
 * rejected on every node; expanded on the node ({@link #expand}). Pure.
 */
public final class ServiceTemplates {
  private ServiceTemplates() {}

  /** The placeholders for {@code task} of service {@code serviceName} on {@code node}. */
  public static Map<String, Object> context(String serviceId, String serviceName, Map<String, String> serviceLabels,
      Task task, String nodeId, Node.Description node) {
    Map<String, Object> service = new LinkedHashMap<>();
    service.put("ID", serviceId);
    service.put("Name", serviceName);
    service.put("Labels", serviceLabels == null ? Map.of() : serviceLabels);
    Map<String, Object> platform = new LinkedHashMap<>();
    platform.put("OS", node == null || node.platform() == null ? "" : node.platform().os());
    platform.put("Architecture", node == null || node.platform() == null ? "" : node.platform().architecture());
    Map<String, Object> n = new LinkedHashMap<>();
    n.put("ID", nodeId);
    n.put("Hostname", node == null ? "" : node.hostname());
    n.put("Platform", platform);
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("ID", task.id());
    t.put("Name", taskName(serviceName, task));
    t.put("Slot", task.slot() > 0 ? Long.toString(task.slot()) : String.valueOf(task.nodeID()));
    return Map.of("Service", service, "Node", n, "Task", t);
  }

  /** Swarm's task name: {@code <service>.<slot or node id>.<task id>}. */
  static String taskName(String serviceName, Task t) {
    return serviceName + "." + (t.slot() > 0 ? Long.toString(t.slot()) : t.nodeID()) + "." + t.id();
  }

  /** Throws {@link TemplateException} naming the field and the problem if any template is bad. */
  public static void validate(ContainerSpec cs) {
    if (cs == null) return;
    Map<String, Object> sample = sampleContext();
    apply(cs, (field, s) -> GoTemplate.parse(s).render(sample, (f, a) -> ""));
  }

  /** {@code cs} with every template expanded in {@code context}. */
  public static ContainerSpec expand(ContainerSpec cs, Map<String, ?> context, GoTemplate.Functions functions) {
    if (cs == null) return null;
    return apply(cs, (field, s) -> GoTemplate.parse(s).render(context, functions));
  }

  private interface FieldRenderer {
    String render(String field, String template);
  }

  private static ContainerSpec apply(ContainerSpec cs, FieldRenderer r) {
    ObjectNode n = Json.lenient().valueToTree(cs);
    boolean changed = false;
    if (GoTemplate.isTemplate(cs.hostname())) {
      n.put("Hostname", render(r, "Hostname", cs.hostname()));
      changed = true;
    }
    if (cs.env() != null && cs.env().stream().anyMatch(GoTemplate::isTemplate)) {
      var env = n.putArray("Env");
      for (String e : cs.env()) env.add(GoTemplate.isTemplate(e) ? render(r, "Env", e) : e);
      changed = true;
    }
    if (cs.labels() != null && cs.labels().values().stream().anyMatch(GoTemplate::isTemplate)) {
      ObjectNode labels = n.putObject("Labels");
      cs.labels().forEach((k, v) -> labels.put(k, GoTemplate.isTemplate(v) ? render(r, "Labels." + k, v) : v));
      changed = true;
    }
    JsonNode mounts = n.get("Mounts");
    if (mounts != null && mounts.isArray()) {
      for (int i = 0; i < mounts.size(); i++) {
        ObjectNode m = (ObjectNode) mounts.get(i);
        for (String f : new String[] {"Source", "Target"}) {
          String v = m.path(f).asText(null);
          if (GoTemplate.isTemplate(v)) {
            m.put(f, render(r, "Mounts[" + i + "]." + f, v));
            changed = true;
          }
        }
      }
    }
    if (!changed) return cs;
    try {
      return Json.lenient().treeToValue(n, ContainerSpec.class);
    } catch (JsonProcessingException e) {
      throw new TemplateException("template: " + e.getOriginalMessage());
    }
  }

  private static String render(FieldRenderer r, String field, String template) {
    try {
      return r.render(field, template);
    } catch (TemplateException e) {
      throw new TemplateException("invalid template in ContainerSpec." + field + ": " + e.getMessage());
    }
  }

  private static Map<String, Object> sampleContext() {
    Task t = new Task("t", null, null, null, "s.1", Map.of(), null, "s", 1, "n", null, null, null, null, null);
    return context("s", "s", Map.of(), t, "n", new Node.Description("h", new Node.Platform("x86_64", "linux"), null, null, null));
  }

}
