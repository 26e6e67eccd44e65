package io.shoal.raft;

import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Mutual TLS for the raft port: this manager's key and certificate, and the trust decision for
 * peers. The same pair serves the raft server and this node's raft client. Prefer {@link
 * #forManagers}, which admits only manager certificates of this swarm; a bare CA trust manager
 * would let any worker certificate from the same CA talk to the consensus. Immutable.
 */
public record RaftTls(KeyManager keyManager, TrustManager trustManager) {
  public RaftTls {
    if (keyManager == null || trustManager == null) {
      throw new IllegalArgumentException("both a key manager and a trust manager are required");
    }
  }

  /**
   * TLS that trusts peers whose certificate chains to the swarm CA ({@code caTrust}) and whose
   * subject has {@code OU=swarm-manager} and, when {@code clusterId} is not null, {@code O=clusterId}.
   */
  public static RaftTls forManagers(KeyManager keyManager, X509TrustManager caTrust, String clusterId) {
    return new RaftTls(keyManager, new ManagerTrustManager(caTrust, clusterId));
  }
}
