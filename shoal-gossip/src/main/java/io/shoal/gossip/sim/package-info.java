/**
 * A deterministic, seeded network for gossip members: loss, delay, partitions, crashes and slow
 * hosts on one simulated clock. The protocol code under it is the production code.
 *
 * <pre>{@code
 * SimNetwork net = new SimNetwork(seed);
 * SimNetwork.SimMember a = net.add("a", GossipConfig.lan(), keyring);
 * net.on(a, n -> n.publish("endpoints", "k", value));
 * net.runFor(2_000);
 * }</pre>
 */
package io.shoal.gossip.sim;
