package io.shoal.daemon.swarm;

import io.shoal.api.model.Node;
import io.shoal.network.mesh.MeshTable;
import io.shoal.rpc.MeshRoute;
import io.shoal.rpc.MeshTableSource;
import io.shoal.store.MemoryStore;
import java.util.ArrayList;
import java.util.List;

/**
 * The routing mesh table as a manager serves it to workers (which have no store): every
 * published port and its backends at each node's data path address.
 */
final class StoreMeshSource implements MeshTableSource {
  private final MemoryStore store;

  StoreMeshSource(MemoryStore store) {
    this.store = store;
  }

  @Override
  public List<MeshRoute> meshTable() {
    var table = store.view(tx -> MeshTable.compute(tx.services(), tx::tasksOfService, id -> {
      Node n = tx.node(id);
      return n == null || !n.isReady() ? null : DataPath.of(n);
    }));
    List<MeshRoute> out = new ArrayList<>();
    table.forEach((k, e) -> out.add(new MeshRoute(k.port(), k.protocol(),
        e.backends().stream().map(b -> b.getHostString() + ":" + b.getPort()).toList())));
    return out;
  }
}
