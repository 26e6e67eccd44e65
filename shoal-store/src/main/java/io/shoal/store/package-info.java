/**
 * The versioned, watchable in-memory store every manager keeps, fed only by committed proposals.
 *
 * <pre>{@code
 * MemoryStore store = new MemoryStore(Clock.systemUTC());
 * store.setProposer(new LocalProposer(store));
 * store.update(tx -> tx.create(service));
 * try (Watch w = store.watch(e -> e.subject() instanceof Task)) { StoreEvent e = w.take(); }
 * }</pre>
 */
package io.shoal.store;
