package io.shoal.rpc;

import io.shoal.ca.NodeIdentity;

/**
 * The certificate authority side of the cluster port, implemented by the daemon. On the leader
 * it checks the token ({@code JoinTokens.roleOf}), signs the CSR with a new node id, writes the
 * Node object and answers; on any other manager it throws {@code ShoalException.NotLeader} (the
 * server adds the leader's address, see {@link ClusterServer.Builder#leaderAddress}) and the
 * client follows.
 *
 * <p>Threading: called on the server's blocking-call executor, possibly concurrently; may block
 * (raft commits) up to the client's deadline (30 s for join). Exceptions are sent to the caller
 * typed: {@code CaException}s and {@code ShoalException}s keep their class and message.
 */
public interface JoinHandler {

  /**
   * Admits a new node.
   *
   * @param peerHost the IP address the request came from, for an empty {@code advertiseAddr}
   */
  JoinResponse join(JoinRequest request, String peerHost);

  /**
   * Issues a new certificate for {@code caller} (identified by its current, valid certificate;
   * the role written is the one the store holds now, so a promotion takes effect here).
   *
   * @return the new certificate, PEM
   */
  String renew(NodeIdentity caller, String csrPem);

  /**
   * {@link #renew} with what a manager certificate's holder needs to start raft (group id, data
   * key). The daemon overrides it; the default carries the certificate alone.
   */
  default ClusterProtocol.CertificateResponse renewal(NodeIdentity caller, String csrPem) {
    return new ClusterProtocol.CertificateResponse(renew(caller, csrPem));
  }
}
