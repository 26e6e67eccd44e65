package io.shoal.daemon.swarm;

import io.shoal.api.model.Node;
import java.util.Map;

/**
 * Where a node's tasks publish their ingress target ports for the routing mesh: its data path
 * address (Docker's {@code --data-path-addr}). It travels as an engine label in the node's
 * description, so every manager can build the mesh table. Loopback by default: a swarm on one
 * machine needs nothing else, and traffic stays on 127.0.0.1; multi-host swarms set it per node.
 */
public final class DataPath {
  public static final String LABEL = "io.shoal.data-path-addr";
  public static final String DEFAULT = "127.0.0.1";

  private DataPath() {}

  public static String of(Node n) {
    Map<String, String> labels = n.description() == null || n.description().engine() == null
        ? Map.of() : n.description().engine().labels();
    String v = labels.get(LABEL);
    return v == null || v.isEmpty() ? DEFAULT : v;
  }
}
