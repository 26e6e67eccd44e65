package io.shoal.api.model;

import java.time.Instant;

/**
 * Something the store keeps in a table. Every store object is an immutable record with an id, the
 * {@link Version} of the write that last changed it, and its creation and update times; a change is
 * a new copy made by {@link #stamped}.
 */
public interface StoreObject {
  String id();

  Version version();

  Instant createdAt();

  Instant updatedAt();

  /** A copy as written at raft index {@code index} at time {@code at}; creation time kept if set. */
  StoreObject stamped(long index, Instant at);

  /** The table this object lives in. */
  Kind kind();

  /** The name that must be unique in its table, or null where names need not be unique. */
  default String uniqueName() {
    return null;
  }

  /** The store's tables. */
  enum Kind {
    NODE,
    SERVICE,
    TASK,
    NETWORK,
    SECRET,
    CONFIG,
    CLUSTER
  }

  static Instant created(Instant createdAt, Instant at) {
    return createdAt == null || createdAt.equals(Instant.EPOCH) ? at : createdAt;
  }
}
