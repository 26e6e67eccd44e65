package io.shoal.store;

import io.shoal.api.model.StoreObject;
import io.shoal.api.model.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The state a new transaction is validated against: the committed tables under the writes of
 * every transaction proposed but not yet committed. Every pending write a read consults is recorded
 * in {@code deps}, so the new transaction fails if that write does. Used only under the store's
 * writer lock and committed read lock, for the duration of one transaction callback.
 */
final class PendingView implements ReadTx {
  private final ReadTx committed;
  private final Map<StoreObject.Kind, ? extends Map<String, PendingTx.Write>> latest;
  private final Set<PendingTx> deps;

  PendingView(ReadTx committed, Map<StoreObject.Kind, ? extends Map<String, PendingTx.Write>> latest, Set<PendingTx> deps) {
    this.committed = committed;
    this.latest = latest;
    this.deps = deps;
  }

  private PendingTx.Write pending(StoreObject.Kind kind, String id) {
    PendingTx.Write w = latest.get(kind).get(id);
    if (w != null) deps.add(w.owner());
    return w;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T extends StoreObject> T get(StoreObject.Kind kind, String id) {
    if (id == null) return null;
    PendingTx.Write w = pending(kind, id);
    return w != null ? (T) w.object() : committed.get(kind, id);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T extends StoreObject> T byName(StoreObject.Kind kind, String name) {
    // pending writes of named tables (services, networks, secrets...) are few: a scan is fine
    for (PendingTx.Write w : latest.get(kind).values()) {
      if (w.object() != null && name.equals(w.object().uniqueName())) {
        deps.add(w.owner());
        return (T) w.object();
      }
    }
    T b = committed.byName(kind, name);
    if (b == null) return null;
    PendingTx.Write w = pending(kind, b.id());
    if (w == null) return b;
    // renamed or deleted by a pending write (a pending object with this name was found above)
    return null;
  }

  @Override
  public <T extends StoreObject> List<T> all(StoreObject.Kind kind) {
    return merge(kind, committed.all(kind), o -> true);
  }

  @Override
  public List<Task> tasksOfService(String serviceId) {
    return merge(StoreObject.Kind.TASK, committed.tasksOfService(serviceId), o -> serviceId.equals(((Task) o).serviceID()));
  }

  @Override
  public List<Task> tasksOfNode(String nodeId) {
    return merge(StoreObject.Kind.TASK, committed.tasksOfNode(nodeId), o -> nodeId.equals(((Task) o).nodeID()));
  }

  @Override
  public long index() {
    return committed.index();
  }

  @SuppressWarnings("unchecked")
  private <T extends StoreObject> List<T> merge(StoreObject.Kind kind, List<T> slice, Predicate<StoreObject> belongs) {
    Map<String, PendingTx.Write> pending = latest.get(kind);
    if (pending.isEmpty()) return slice;
    List<T> out = new ArrayList<>(slice.size());
    for (T o : slice) {
      PendingTx.Write w = pending(kind, o.id());
      if (w == null) out.add(o);
      else if (w.object() != null && belongs.test(w.object())) out.add((T) w.object());
    }
    // pending objects not in the committed slice: created, or moved into it (a task reassigned)
    for (PendingTx.Write w : pending.values()) {
      if (w.object() == null || !belongs.test(w.object())) continue;
      StoreObject c = committed.get(kind, w.id());
      if (c != null && belongs.test(c)) continue; // already handled above
      deps.add(w.owner());
      out.add((T) w.object());
    }
    return out;
  }
}
