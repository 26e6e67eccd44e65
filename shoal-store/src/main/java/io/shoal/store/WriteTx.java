package io.shoal.store;

import io.shoal.api.model.StoreObject;

/**
 * A read-write transaction. Reads see this transaction's own writes. Writes are collected and
 * proposed together when the callback returns; nothing is visible to others until applied.
 *
 * <p>{@link #update} takes the object as read (its version is the expected version): if another
 * write changed it meanwhile, the whole transaction fails with a sequence conflict.
 */
public interface WriteTx extends ReadTx {
  void create(StoreObject object);

  void update(StoreObject object);

  void delete(StoreObject.Kind kind, String id);

  /** How many actions this transaction holds so far. */
  int size();
}
