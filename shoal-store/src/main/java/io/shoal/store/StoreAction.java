package io.shoal.store;

import io.shoal.api.model.StoreObject;

/**
 * One change in a proposal. {@code expected} is the version the writer read (0 for a create);
 * apply refuses the whole proposal if any object moved on since, so a stale writer loses on every
 * replica in the same way.
 */
public record StoreAction(Op op, StoreObject.Kind kind, String id, long expected, StoreObject object) {
  public enum Op {
    CREATE,
    UPDATE,
    DELETE
  }

  public static StoreAction create(StoreObject o) {
    return new StoreAction(Op.CREATE, o.kind(), o.id(), 0, o);
  }

  public static StoreAction update(StoreObject o) {
    return new StoreAction(Op.UPDATE, o.kind(), o.id(), o.version().index(), o);
  }

  public static StoreAction delete(StoreObject o) {
    return new StoreAction(Op.DELETE, o.kind(), o.id(), o.version().index(), null);
  }
}
