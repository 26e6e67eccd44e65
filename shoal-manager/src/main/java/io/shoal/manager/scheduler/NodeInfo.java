package io.shoal.manager.scheduler;

import io.shoal.api.model.Node;
import io.shoal.api.model.PortConfig;
import io.shoal.api.model.Task;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A node as the scheduler sees it during one pass: what is already placed on it. Mutable, owned
 * by one scheduling pass; {@link #add} records each placement so the next decision sees it.
 */
public final class NodeInfo {
  final Node node;
  final Map<String, Integer> tasksByService = new HashMap<>();
  int activeTasks;
  long reservedCpus;
  long reservedMemory;
  final Set<String> hostPorts = new HashSet<>();

  NodeInfo(Node node) {
    this.node = node;
  }

  void add(Task t) {
    tasksByService.merge(t.serviceID(), 1, Integer::sum);
    activeTasks++;
    var r = t.spec().resourcesOrNone();
    reservedCpus += r.reservedCpus();
    reservedMemory += r.reservedMemory();
    for (PortConfig p : hostPorts(t)) hostPorts.add(p.published() + "/" + p.protocolOrDefault());
  }

  int countOf(String serviceId) {
    return tasksByService.getOrDefault(serviceId, 0);
  }

  long totalCpus() {
    var d = node.description();
    return d == null || d.resources() == null ? 0 : d.resources().cpus();
  }

  long totalMemory() {
    var d = node.description();
    return d == null || d.resources() == null ? 0 : d.resources().memory();
  }

  static java.util.List<PortConfig> hostPorts(Task t) {
    if (t.endpoint() == null) return java.util.List.of();
    return t.endpoint().portsOrEmpty().stream()
        .filter(p -> PortConfig.HOST.equals(p.publishModeOrDefault()) && p.published() != 0)
        .toList();
  }
}
