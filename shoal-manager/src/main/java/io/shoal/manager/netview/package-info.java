/**
 * Each node's network view ({@link io.shoal.api.net.NodeNetworkView}): computed from the store by
 * {@link io.shoal.manager.netview.NetworkViews} (pure) and served by
 * {@link io.shoal.manager.netview.NetworkViewHub} on every manager, to its own node in-process
 * and to other nodes' long polls over the cluster port.
 *
 * <pre>{@code
 * NodeNetworkView v = store.view(tx -> NetworkViews.forNode(tx, nodeId));
 * }</pre>
 */
package io.shoal.manager.netview;
