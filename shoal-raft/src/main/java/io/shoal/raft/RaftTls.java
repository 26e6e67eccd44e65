package io.shoal.raft;

import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;

/**
 * Mutual TLS for the raft port: this manager's key and certificate, and the trust decision for
 * peers. Build {@code trustManager} so it accepts only certificates of the swarm CA whose OU is
 * {@code swarm-manager} (a wrapping {@code X509TrustManager}), otherwise any worker could join
 * the consensus. The same pair is used by the server and by the node's raft client. Immutable.
 */
public record RaftTls(KeyManager keyManager, TrustManager trustManager) {
  public RaftTls {
    if (keyManager == null || trustManager == null) {
      throw new IllegalArgumentException("both a key manager and a trust manager are required");
    }
  }
}
