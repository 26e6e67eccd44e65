package io.shoal.rpc;

import io.shoal.ca.NodeIdentity;
import io.shoal.ca.NodeRole;
import io.shoal.ca.Pem;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** The leader's CA side as the daemon implements it, minus the store: check token, sign, answer. */
final class TestJoinHandler implements JoinHandler {
  static final byte[] DATA_KEY = "0123456789abcdef0123456789abcdef".getBytes();
  private final TestPki pki;
  private final List<String> managers;
  private final AtomicInteger ids = new AtomicInteger();
  volatile JoinRequest lastRequest;
  volatile String lastPeerHost;

  TestJoinHandler(TestPki pki, List<String> managers) {
    this.pki = pki;
    this.managers = managers;
  }

  @Override
  public JoinResponse join(JoinRequest request, String peerHost) {
    lastRequest = request;
    lastPeerHost = peerHost;
    NodeRole role = pki.tokens.roleOf(request.token());
    String nodeId = "joined" + ids.incrementAndGet();
    String cert = Pem.encodeCertificate(pki.ca.sign(request.csrPem(),
        new NodeIdentity(nodeId, role, TestPki.CLUSTER_ID), null, TestPki.CLOCK, TestPki.RANDOM));
    boolean manager = role == NodeRole.MANAGER;
    return new JoinResponse(nodeId, cert, role.apiName(), managers,
        manager ? "02511d47-d67c-49a6-9a1e-6b0d3d9e1a42" : null,
        manager ? JoinResponse.encodeKey(DATA_KEY) : null);
  }

  @Override
  public String renew(NodeIdentity caller, String csrPem) {
    return Pem.encodeCertificate(pki.ca.sign(csrPem, caller, null, TestPki.CLOCK, TestPki.RANDOM));
  }
}
