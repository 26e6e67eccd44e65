package io.shoal.api.net;

/**
 * A consumer of this node's {@link NodeNetworkView} (the data path, the resolver, the mesh). The
 * daemon feeds every listener the same way on managers (from the store) and workers (from a
 * manager over the cluster port).
 *
 * <p>Threading: called on one delivery thread, views in version order, only when the content
 * changed; a new listener is first handed the latest view the node has. A listener must return
 * quickly (hand long work to its own thread) and should not throw: an exception is logged and the
 * next view is still delivered. Level-triggered: each view is the whole truth, not a delta.
 */
@FunctionalInterface
public interface NetworkViewListener {
  void onView(NodeNetworkView view);
}
