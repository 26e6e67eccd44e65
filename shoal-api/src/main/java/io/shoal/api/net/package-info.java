/**
 * What one node needs to know about the overlay networks, as the managers decided it: {@link
 * io.shoal.api.net.NodeNetworkView} and the {@link io.shoal.api.net.NetworkViewListener} through
 * which the daemon hands it to the node's data path, resolver and mesh.
 *
 * <pre>{@code
 * NetworkViewListener dns = view -> resolver.update(view.endpoints(), view.services());
 * nodeRuntime.networkViews().subscribe(dns);   // gets the latest view at once, then every change
 * }</pre>
 */
package io.shoal.api.net;
