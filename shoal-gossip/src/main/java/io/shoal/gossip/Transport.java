package io.shoal.gossip;

/**
 * How a member reaches others. Datagrams are best effort (lost, late, reordered are all fine);
 * a stream carries one push-pull request whose answer the transport hands back to the sender's
 * {@link GossipNode#receiveStream}. Implementations: {@code UdpTcpTransport} (production) and the
 * simulated network of tests and benchmarks. Both calls must not block the member's thread.
 */
public interface Transport {
  void sendPacket(String address, byte[] packet);

  void sendStream(String address, byte[] stream);
}
