package io.shoal.rpc;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.shoal.api.error.ShoalException;
import io.shoal.ca.CaException;
import io.shoal.ca.JoinToken;
import io.shoal.ca.NodeCertificates;
import io.shoal.ca.NodeCredentials;
import io.shoal.ca.NodeIdentity;
import io.shoal.ca.Pem;
import io.shoal.ca.RootCA;
import io.shoal.ca.tls.MutualTls;
import io.shoal.ca.tls.PeerPolicy;
import io.shoal.rpc.ClusterProtocol.Empty;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code swarm join} on the wire, for a node that has no certificate yet:
 *
 * <ol>
 *   <li>fetch the root CA from a manager over TLS <em>without</em> trusting the manager (it is not
 *       known yet), and accept the CA only if its digest is the one the join token carries
 *       ({@link JoinToken#verifyRootCA(String)}: a mismatch is refused with its message);
 *   <li>reconnect verifying that the server holds a manager certificate from that CA, and send the
 *       token with a CSR for a key generated here (the key never leaves this node);
 *   <li>follow {@code NotLeader} to the leader, try the other given managers when one is down;
 *   <li>check the returned certificate (signed by the CA, valid now, for our key, role as
 *       answered).
 * </ol>
 *
 * <p>Failures a user can act on come out as typed exceptions with plain messages: a malformed
 * token ({@code CaException.InvalidToken}), a rotated or wrong secret ({@code
 * CaException.UnknownToken}), a token for another swarm ({@code CaException.DigestMismatch}),
 * no manager reachable ({@code ShoalException.Unavailable} "could not reach any manager at X:
 * ..."). Nothing is written anywhere: the caller stores the result.
 *
 * <p>Thread-safe: a static method with no shared state; channels are private to the call.
 */
public final class JoinClient {
  /** Per-call deadline for fetching the CA. */
  static final Duration FETCH_DEADLINE = Duration.ofSeconds(10);
  /** Joining writes the node through raft on the leader. */
  static final Duration JOIN_DEADLINE = Duration.ofSeconds(30);

  private JoinClient() {}

  /**
   * Joins the swarm through one of {@code managerAddrs} ({@code host:port}).
   *
   * @param advertiseAddr {@code host:port} to be reached at; empty lets the manager use the
   *     address it sees
   * @param availability {@code active}, {@code pause} or {@code drain}; null or empty = active
   */
  public static JoinResult join(
      String token,
      List<String> managerAddrs,
      String advertiseAddr,
      String listenAddr,
      String availability,
      SecureRandom random,
      Clock clock) {
    JoinToken parsed = JoinToken.parse(token);
    if (managerAddrs == null || managerAddrs.isEmpty()) {
      throw new ShoalException.InvalidSpec("a manager address (host:port) is needed to join a swarm");
    }
    KeyPair keyPair = NodeCertificates.generateKeyPair(random);
    JoinRequest request = new JoinRequest(token.strip(), NodeCertificates.createCsr(keyPair, random),
        nullToEmpty(advertiseAddr), nullToEmpty(listenAddr), nullToEmpty(availability));

    Deque<String> order = new ArrayDeque<>(new LinkedHashSet<>(managerAddrs));
    Set<String> tried = new LinkedHashSet<>();
    List<String> failures = new ArrayList<>();
    RootCA trusted = null;
    while (!order.isEmpty()) {
      String addr = order.poll();
      if (!tried.add(addr)) {
        continue;
      }
      try {
        if (trusted == null) {
          // Verified before anything else from this manager is believed; a mismatch is not a
          // reason to try another manager: the token names another swarm.
          trusted = parsed.verifyRootCA(fetchRootCA(addr));
        }
        JoinResponse response = joinAt(addr, trusted, request);
        return accept(keyPair, trusted, response, clock);
      } catch (StatusRuntimeException e) {
        if (!RpcErrors.isRetryableElsewhere(e)) {
          throw RpcErrors.fromStatus(e, addr);
        }
        String leader = RpcErrors.leaderHint(e);
        if (leader != null && !tried.contains(leader)) {
          order.addFirst(leader);
        }
        failures.add((tried.size() + order.size() > 1 ? addr + ": " : "") + ManagerTargets.reason(e));
      }
    }
    throw new ShoalException.Unavailable(
        "could not reach any manager at " + String.join(", ", tried) + ": " + String.join("; ", failures));
  }

  private static String fetchRootCA(String addr) {
    ManagedChannel ch = ClusterChannels.build(addr, Tls.fetchRootCA(), null);
    try {
      return ClientCalls.blockingUnaryCall(ch, ClusterProtocol.GET_ROOT_CA, within(FETCH_DEADLINE),
          Empty.INSTANCE).certificatePem();
    } finally {
      ch.shutdownNow();
    }
  }

  private static JoinResponse joinAt(String addr, RootCA trusted, JoinRequest request) {
    // From here on the server must prove it is a manager of the verified CA.
    ManagedChannel ch = ClusterChannels.build(addr,
        Tls.client(null, MutualTls.trustManager(trusted, PeerPolicy.managersOnly())), null);
    try {
      return ClientCalls.blockingUnaryCall(ch, ClusterProtocol.JOIN, within(JOIN_DEADLINE), request);
    } finally {
      ch.shutdownNow();
    }
  }

  private static JoinResult accept(KeyPair keyPair, RootCA ca, JoinResponse response, Clock clock) {
    if (response.certificatePem() == null) {
      throw new CaException.InvalidCertificate("the manager answered the join without a certificate");
    }
    NodeCredentials creds =
        NodeCertificates.accept(keyPair, Pem.readCertificate(response.certificatePem()), ca, clock.instant());
    NodeIdentity id = creds.identity();
    if (!id.nodeId().equals(response.nodeId()) || !id.role().apiName().equals(response.role())) {
      throw new CaException.InvalidCertificate("the manager's answer (node " + response.nodeId() + ", "
          + response.role() + ") does not match the certificate it issued (node " + id.nodeId() + ", "
          + id.role().apiName() + ")");
    }
    return new JoinResult(creds, ca, response);
  }

  private static CallOptions within(Duration d) {
    return CallOptions.DEFAULT.withDeadlineAfter(d.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
