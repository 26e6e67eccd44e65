package io.shoal.store;

import io.shoal.api.model.StoreObject;
import io.shoal.api.model.Task;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One table's rows and indexes. Not thread-safe: {@link MemoryStore} guards it with its lock.
 * Tasks are also indexed by service and by node, because the orchestrators and the dispatcher ask
 * for exactly those slices, at scale, on every change.
 */
final class Table {
  final StoreObject.Kind kind;
  private final Map<String, StoreObject> byId = new HashMap<>();
  private final Map<String, String> byName = new HashMap<>();
  private final Map<String, Set<String>> byService = new HashMap<>();
  private final Map<String, Set<String>> byNode = new HashMap<>();

  Table(StoreObject.Kind kind) {
    this.kind = kind;
  }

  StoreObject get(String id) {
    return byId.get(id);
  }

  String idByName(String name) {
    return byName.get(name);
  }

  Collection<StoreObject> all() {
    return byId.values();
  }

  int size() {
    return byId.size();
  }

  Set<String> idsByService(String serviceId) {
    return byService.getOrDefault(serviceId, Set.of());
  }

  Set<String> idsByNode(String nodeId) {
    return byNode.getOrDefault(nodeId, Set.of());
  }

  void put(StoreObject o) {
    StoreObject old = byId.put(o.id(), o);
    if (old != null) unindex(old);
    index(o);
  }

  StoreObject remove(String id) {
    StoreObject old = byId.remove(id);
    if (old != null) unindex(old);
    return old;
  }

  void clear() {
    byId.clear();
    byName.clear();
    byService.clear();
    byNode.clear();
  }

  List<StoreObject> snapshot() {
    return new ArrayList<>(byId.values());
  }

  private void index(StoreObject o) {
    if (o.uniqueName() != null) byName.put(o.uniqueName(), o.id());
    if (o instanceof Task t) {
      if (t.serviceID() != null) byService.computeIfAbsent(t.serviceID(), k -> new LinkedHashSet<>()).add(t.id());
      if (t.nodeID() != null && !t.nodeID().isEmpty()) byNode.computeIfAbsent(t.nodeID(), k -> new LinkedHashSet<>()).add(t.id());
    }
  }

  private void unindex(StoreObject o) {
    if (o.uniqueName() != null && o.id().equals(byName.get(o.uniqueName()))) byName.remove(o.uniqueName());
    if (o instanceof Task t) {
      removeFrom(byService, t.serviceID(), t.id());
      removeFrom(byNode, t.nodeID(), t.id());
    }
  }

  private static void removeFrom(Map<String, Set<String>> index, String key, String id) {
    if (key == null) return;
    Set<String> s = index.get(key);
    if (s == null) return;
    s.remove(id);
    if (s.isEmpty()) index.remove(key);
  }
}
