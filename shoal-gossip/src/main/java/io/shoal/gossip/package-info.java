/**
 * Gossip among all nodes: SWIM membership with Lifeguard's refinements, AES-GCM sealed packets
 * with keys from raft, and dissemination of endpoint and peer records.
 *
 * <p>{@link io.shoal.gossip.GossipNode} is the pure protocol (injected clock, random and
 * transport); {@link io.shoal.gossip.GossipService} runs it on one thread over UDP (probes and
 * gossip) and TCP (push-pull), default port 7946.
 *
 * <pre>{@code
 * GossipService gossip = GossipService.start(GossipConfig.lan(), nodeId, bind, advertise, keyring);
 * gossip.addListener(new GossipListener() {
 *   public void memberChanged(MemberInfo m) { if (m.state() == MemberState.DEAD) ...; }
 *   public void recordChanged(GossipRecord r, boolean present) { ... }
 * });
 * gossip.join(List.of("10.0.0.1:7946"));
 * gossip.publish(EndpointRecord.TABLE, endpoint.key(), endpoint.encode());
 * }</pre>
 */
package io.shoal.gossip;
