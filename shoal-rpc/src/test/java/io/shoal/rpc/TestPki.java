package io.shoal.rpc;

import io.shoal.ca.JoinTokens;
import io.shoal.ca.NodeCertificates;
import io.shoal.ca.NodeCredentials;
import io.shoal.ca.NodeIdentity;
import io.shoal.ca.NodeRole;
import io.shoal.ca.RootCA;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;

/** A swarm's PKI for tests: a root CA, its join tokens, and node credentials issued by it. */
final class TestPki {
  static final SecureRandom RANDOM = new SecureRandom();
  static final Clock CLOCK = Clock.systemUTC();
  static final String CLUSTER_ID = "testcluster0001";

  final RootCA ca = RootCA.create(CLOCK, RANDOM);
  final JoinTokens tokens = JoinTokens.generate(ca, RANDOM);

  NodeCredentials issue(String nodeId, NodeRole role) {
    KeyPair kp = NodeCertificates.generateKeyPair(RANDOM);
    String csr = NodeCertificates.createCsr(kp, RANDOM);
    return NodeCertificates.accept(kp,
        ca.sign(csr, new NodeIdentity(nodeId, role, CLUSTER_ID), null, CLOCK, RANDOM), ca, CLOCK.instant());
  }

  NodeCredentials manager(String nodeId) {
    return issue(nodeId, NodeRole.MANAGER);
  }

  NodeCredentials worker(String nodeId) {
    return issue(nodeId, NodeRole.WORKER);
  }
}
