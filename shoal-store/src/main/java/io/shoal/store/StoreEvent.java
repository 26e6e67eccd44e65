package io.shoal.store;

import io.shoal.api.model.StoreObject;

/**
 * What a watcher sees, in apply order. {@link Reset} means the whole store was replaced (snapshot
 * install): watchers must re-read everything.
 */
public sealed interface StoreEvent {
  record Created(StoreObject object) implements StoreEvent {}

  record Updated(StoreObject old, StoreObject object) implements StoreEvent {}

  record Deleted(StoreObject object) implements StoreEvent {}

  /** Sent after all events of one applied proposal. */
  record Commit(long index) implements StoreEvent {}

  record Reset(long index) implements StoreEvent {}

  /** The object this event is about, or null for Commit/Reset. */
  default StoreObject subject() {
    if (this instanceof Created c) return c.object();
    if (this instanceof Updated u) return u.object();
    if (this instanceof Deleted d) return d.object();
    return null;
  }
}
