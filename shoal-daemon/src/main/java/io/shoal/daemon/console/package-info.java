/**
 * The live, read-only cluster console ({@code shoal daemon --ui-addr}): nodes as columns, tasks as
 * cards coloured by state, services with their replicas and ports, a task's history on click. The
 * page (HTML, script and style in this package's resources, no CDN) streams {@link
 * io.shoal.daemon.console.ClusterView}s over server-sent events; {@code ConsoleFeed} rebuilds the
 * view from the manager's store watch after each burst of commits, so nothing polls.
 *
 * <pre>{@code
 * Console console = new Console(clock);
 * console.nodeChanged(nodeRuntime);      // feeds from its manager's store, or says why not
 * server.setHandler(console.handler());  // GET /, /console.js, /console.css, /api/state, /api/events
 * }</pre>
 */
package io.shoal.daemon.console;
