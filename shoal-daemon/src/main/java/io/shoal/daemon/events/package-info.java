/**
 * Docker's swarm events ({@code GET /events}) made from a manager's store: every manager applies
 * every committed write, so each serves the same events from its own store's watch.
 * {@link io.shoal.daemon.events.EventTranslator} turns one store event into Docker's message
 * (pure), {@link io.shoal.daemon.events.EventFilter} is {@code docker events --filter} (pure), and
 * {@link io.shoal.daemon.events.ClusterEvents} is the shell: one thread drains the watch, keeps a
 * bounded history for {@code --since} and fans out to subscribers through bounded queues, so a
 * client that reads slowly is dropped rather than slowing the store.
 *
 * <pre>{@code
 * ClusterEvents events = new ClusterEvents(store, clock, 1024);
 * try (ClusterEvents.Subscription s = events.subscribe(since, until, EventFilter.of(filters))) {
 *   for (Event e : s.replayed()) send(e);
 *   for (Event e; (e = s.next(Duration.ofSeconds(1))) != null || !s.ended(); ) if (e != null) send(e);
 * }
 * }</pre>
 */
package io.shoal.daemon.events;
