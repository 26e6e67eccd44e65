package io.shoal.ca;

import java.util.random.RandomGenerator;

/**
 * The swarm's two join tokens. A presented token's role is decided by its secret alone, compared
 * in constant time against both current secrets; a rotated-away secret admits nobody.
 *
 * <p>Immutable: rotation returns a new value, which the manager writes to the cluster object.
 */
public record JoinTokens(JoinToken worker, JoinToken manager) {
  public JoinTokens {
    if (worker == null || manager == null) {
      throw new IllegalArgumentException("both worker and manager tokens are required");
    }
    if (!worker.caDigestPart().equals(manager.caDigestPart())) {
      throw new IllegalArgumentException("worker and manager tokens name different root CAs");
    }
  }

  /** Two fresh tokens for {@code ca} ({@code swarm init}). */
  public static JoinTokens generate(RootCA ca, RandomGenerator random) {
    return new JoinTokens(JoinToken.generate(ca, random), JoinToken.generate(ca, random));
  }

  /** From the strings stored in the cluster object. */
  public static JoinTokens parse(String worker, String manager) {
    return new JoinTokens(JoinToken.parse(worker), JoinToken.parse(manager));
  }

  public JoinToken forRole(NodeRole role) {
    return role == NodeRole.MANAGER ? manager : worker;
  }

  /** {@code swarm join-token --rotate <role>}: a new secret for that role only. */
  public JoinTokens rotate(NodeRole role, RandomGenerator random) {
    return role == NodeRole.MANAGER
        ? new JoinTokens(worker, manager.rotate(random))
        : new JoinTokens(worker.rotate(random), manager);
  }

  /** Same secrets, new CA digest (after a root CA rotation). */
  public JoinTokens forRootCA(RootCA ca) {
    return new JoinTokens(worker.forRootCA(ca), manager.forRootCA(ca));
  }

  /**
   * The role {@code presented} admits. Malformed → {@link CaException.InvalidToken}; another
   * swarm's or a rotated token → {@link CaException.UnknownToken}.
   */
  public NodeRole roleOf(String presented) {
    JoinToken t = JoinToken.parse(presented);
    if (!t.caDigestPart().equals(worker.caDigestPart())) {
      throw new CaException.UnknownToken(
          "the token's CA digest is not this swarm's root CA (a token from another swarm?)");
    }
    // Evaluate both comparisons, always: the time taken must not tell which one matched.
    boolean isWorker = worker.sameSecret(t);
    boolean isManager = manager.sameSecret(t);
    if (isManager) {
      return NodeRole.MANAGER;
    }
    if (isWorker) {
      return NodeRole.WORKER;
    }
    throw new CaException.UnknownToken(
        "the token matches neither the worker nor the manager token (rotated or mistyped?)");
  }
}
