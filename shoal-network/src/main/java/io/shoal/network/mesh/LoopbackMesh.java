package io.shoal.network.mesh;

import io.shoal.api.net.NodeNetworkView;
import io.shoal.network.node.NodeNetworking;
import java.util.Set;

/**
 * Feeds the userspace {@link RoutingMesh} from the network view: what the kernel mesh cannot
 * serve (connections to 127.0.0.1) reaches the same tasks at their ingress addresses.
 */
public final class LoopbackMesh implements NodeNetworking.Consumer {
  private final RoutingMesh mesh;

  public LoopbackMesh(RoutingMesh mesh) {
    this.mesh = mesh;
  }

  @Override
  public void apply(NodeNetworkView view, Set<String> stopping) {
    mesh.applyFromView(MeshTable.fromView(view, stopping));
  }

  /** Ports the kernel mesh must leave alone: another program holds them here. */
  public Set<String> refusedPorts() {
    return mesh.refusedPorts();
  }

  /** The mesh is the node's (it serves the store-fed table before any view): its owner closes it. */
  @Override
  public void close() {}
}
