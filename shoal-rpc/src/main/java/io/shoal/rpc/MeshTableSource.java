package io.shoal.rpc;

import java.util.List;

/**
 * The routing mesh's current table, read by any node over the cluster port so a worker's proxy
 * can forward published ports. Implemented by the daemon on managers from the store.
 *
 * <p>Threading: called on the server's executor, concurrently; must be quick (a store read).
 */
@FunctionalInterface
public interface MeshTableSource {
  List<MeshRoute> meshTable();
}
