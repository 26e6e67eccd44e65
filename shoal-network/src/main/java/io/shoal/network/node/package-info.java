/**
 * The node's side of networking in one place: the network view and the agent's "task stopping"
 * signal go in, the resolver, the VIP tables and the routing mesh follow.
 *
 * <pre>{@code
 * NodeNetworking net = new NodeNetworking(List.of(discovery, vips, mesh));
 * net.onView(view);              // from the view delivery, on every change
 * net.onTaskStopping(taskId);    // from the agent, before SIGTERM
 * }</pre>
 */
package io.shoal.network.node;
