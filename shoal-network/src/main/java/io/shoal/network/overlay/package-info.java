/**
 * The node's side of overlay networks: for each Shoal network this node takes part in, a bridge
 * network on the node's own engine (the network's subnet, this node's gateway address) with a
 * VXLAN device enslaved to its bridge, and static FDB + neighbour entries for every endpoint on
 * other nodes. {@link io.shoal.network.overlay.OverlayPlanner} is the pure core (what the view
 * wants against what the kernel and the engine have → operations);
 * {@link io.shoal.network.overlay.LinkShell} and {@link io.shoal.network.overlay.EngineNetworks}
 * are the thin shells; {@link io.shoal.network.overlay.OverlayDataPath} reconciles them on every
 * view and periodically, so an engine or daemon restart converges with no duplicates or leftovers.
 */
package io.shoal.network.overlay;
