package io.shoal.ca.tls;

import io.shoal.ca.NodeRole;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which peers an endpoint accepts once their certificate chains to the swarm root: the roles
 * allowed (by the certificate's OU), the node ids that were removed (a removed node keeps a valid
 * certificate until it expires, so the CA alone cannot shut it out), and optionally the cluster id
 * the certificate's O must name. Immutable; safe to share between threads if {@code revoked} is.
 *
 * @param allowedRoles roles accepted; never empty
 * @param revoked tells whether a node id was removed; read on every handshake, so pass a view of
 *     the store (thread-safe), not a copy
 * @param clusterId the O a peer's certificate must carry, or null to accept any
 */
public record PeerPolicy(Set<NodeRole> allowedRoles, Predicate<String> revoked, String clusterId) {
  public PeerPolicy {
    if (allowedRoles == null || allowedRoles.isEmpty()) {
      throw new IllegalArgumentException("at least one role must be allowed");
    }
    allowedRoles = Set.copyOf(allowedRoles);
    revoked = revoked == null ? id -> false : revoked;
  }

  /** Managers and workers (the dispatcher, the CA's renewal endpoint). */
  public static PeerPolicy anyNode() {
    return new PeerPolicy(EnumSet.allOf(NodeRole.class), id -> false, null);
  }

  /** Managers only (raft, manager-to-manager proxying; a worker dialling a manager). */
  public static PeerPolicy managersOnly() {
    return new PeerPolicy(EnumSet.of(NodeRole.MANAGER), id -> false, null);
  }

  public PeerPolicy withRevoked(Predicate<String> removedNodeIds) {
    return new PeerPolicy(allowedRoles, removedNodeIds, clusterId);
  }

  public PeerPolicy withClusterId(String id) {
    return new PeerPolicy(allowedRoles, revoked, id);
  }

  public boolean allows(NodeRole role) {
    return allowedRoles.contains(role);
  }
}
