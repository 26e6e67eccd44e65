package io.shoal.rpc;

import java.util.List;

/**
 * One routing-mesh entry as the cluster port serves it: a published port and the
 * {@code host:port} backends that answer it, in the order the manager computed.
 */
public record MeshRoute(int port, String protocol, List<String> backends) {
  public MeshRoute {
    backends = backends == null ? List.of() : List.copyOf(backends);
  }
}
