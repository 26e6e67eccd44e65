package io.shoal.store;

import io.shoal.api.error.ShoalException;
import io.shoal.api.model.StoreObject;
import io.shoal.api.model.Task;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The write transaction handed to {@code update} callbacks: reads fall through to the committed
 * state under this transaction's own changes; writes become {@link StoreAction}s. Checks that can
 * be made early (existence, unique names) are made here so the caller gets the error at once;
 * apply checks them again, as only apply is authoritative.
 */
final class Overlay implements WriteTx {
  private final ReadTx base;
  /** key: kind/id -> the pending action on it (last one wins, create+update folds to create). */
  private final Map<String, StoreAction> pending = new LinkedHashMap<>();

  Overlay(ReadTx base) {
    this.base = base;
  }

  List<StoreAction> actions() {
    return new ArrayList<>(pending.values());
  }

  @Override
  public int size() {
    return pending.size();
  }

  private static String key(StoreObject.Kind k, String id) {
    return k.ordinal() + "/" + id;
  }

  @Override
  public void create(StoreObject o) {
    Objects.requireNonNull(o.id(), "id");
    if (get(o.kind(), o.id()) != null) {
      throw new ShoalException.NameConflict(o.kind().name().toLowerCase() + " " + o.id() + " already exists");
    }
    if (o.uniqueName() != null && byName(o.kind(), o.uniqueName()) != null) {
      throw new ShoalException.NameConflict(
          o.kind().name().toLowerCase() + " with name " + o.uniqueName() + " already exists");
    }
    StoreAction prev = pending.get(key(o.kind(), o.id()));
    if (prev != null && prev.op() == StoreAction.Op.DELETE) {
      throw new ShoalException.NameConflict("cannot re-create " + o.id() + " in the transaction that deleted it");
    }
    pending.put(key(o.kind(), o.id()), StoreAction.create(o));
  }

  @Override
  public void update(StoreObject o) {
    String k = key(o.kind(), o.id());
    StoreAction prev = pending.get(k);
    if (prev != null) {
      if (prev.op() == StoreAction.Op.DELETE) throw new ShoalException.NotFound(o.kind().name().toLowerCase() + " " + o.id() + " not found");
      // a second write in the same transaction keeps the first one's expectation
      pending.put(k, new StoreAction(prev.op(), o.kind(), o.id(), prev.expected(), o));
      return;
    }
    StoreObject cur = base.get(o.kind(), o.id());
    if (cur == null) throw new ShoalException.NotFound(o.kind().name().toLowerCase() + " " + o.id() + " not found");
    if (cur.version().index() != o.version().index()) {
      throw new ShoalException.SequenceConflict("update out of sequence");
    }
    if (o.uniqueName() != null && !o.uniqueName().equals(cur.uniqueName())) {
      StoreObject other = byName(o.kind(), o.uniqueName());
      if (other != null && !other.id().equals(o.id())) {
        throw new ShoalException.NameConflict(o.kind().name().toLowerCase() + " with name " + o.uniqueName() + " already exists");
      }
    }
    pending.put(k, StoreAction.update(o));
  }

  @Override
  public void delete(StoreObject.Kind kind, String id) {
    String k = key(kind, id);
    StoreAction prev = pending.get(k);
    if (prev != null && prev.op() == StoreAction.Op.CREATE) {
      pending.remove(k);
      return;
    }
    StoreObject cur = base.get(kind, id);
    if (cur == null) throw new ShoalException.NotFound(kind.name().toLowerCase() + " " + id + " not found");
    long expected = prev != null ? prev.expected() : cur.version().index();
    pending.put(k, new StoreAction(StoreAction.Op.DELETE, kind, id, expected, null));
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T extends StoreObject> T get(StoreObject.Kind kind, String id) {
    StoreAction a = pending.get(key(kind, id));
    if (a != null) return a.op() == StoreAction.Op.DELETE ? null : (T) a.object();
    return base.get(kind, id);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T extends StoreObject> T byName(StoreObject.Kind kind, String name) {
    for (StoreAction a : pending.values()) {
      if (a.kind() == kind && a.object() != null && name.equals(a.object().uniqueName())) return (T) a.object();
    }
    T b = base.byName(kind, name);
    if (b == null) return null;
    StoreAction a = pending.get(key(kind, b.id()));
    if (a == null) return b;
    if (a.op() == StoreAction.Op.DELETE || !name.equals(a.object().uniqueName())) return null;
    return (T) a.object();
  }

  @Override
  public <T extends StoreObject> List<T> all(StoreObject.Kind kind) {
    return merge(kind, base.all(kind), o -> true);
  }

  @Override
  public List<Task> tasksOfService(String serviceId) {
    return merge(StoreObject.Kind.TASK, base.tasksOfService(serviceId), o -> serviceId.equals(((Task) o).serviceID()));
  }

  @Override
  public List<Task> tasksOfNode(String nodeId) {
    return merge(StoreObject.Kind.TASK, base.tasksOfNode(nodeId), o -> nodeId.equals(((Task) o).nodeID()));
  }

  @Override
  public long index() {
    return base.index();
  }

  @SuppressWarnings("unchecked")
  private <T extends StoreObject> List<T> merge(StoreObject.Kind kind, List<T> committed, Predicate<StoreObject> belongs) {
    if (pending.isEmpty()) return committed;
    List<T> out = new ArrayList<>(committed.size());
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (T o : committed) {
      seen.add(o.id());
      StoreAction a = pending.get(key(kind, o.id()));
      if (a == null) out.add(o);
      else if (a.op() != StoreAction.Op.DELETE && belongs.test(a.object())) out.add((T) a.object());
    }
    // objects created here, or moved into this slice (e.g. a task reassigned to this node)
    for (StoreAction a : pending.values()) {
      if (a.kind() == kind && a.op() != StoreAction.Op.DELETE && !seen.contains(a.id()) && belongs.test(a.object())) {
        out.add((T) a.object());
      }
    }
    return out;
  }
}
