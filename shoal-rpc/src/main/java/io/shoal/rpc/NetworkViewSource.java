package io.shoal.rpc;

import io.shoal.api.net.NodeNetworkView;
import java.util.concurrent.CompletableFuture;

/**
 * A node's network view as a manager serves it over the cluster port: completed at once when the
 * caller's {@code sinceVersion} is out of date, else when the view changes, else after the
 * source's poll timeout (about 10 s) with the unchanged view.
 *
 * <p>Threading: called on the server's executor; must not block (return a future).
 */
@FunctionalInterface
public interface NetworkViewSource {
  CompletableFuture<NodeNetworkView> networkView(String nodeId, long sinceVersion);
}
