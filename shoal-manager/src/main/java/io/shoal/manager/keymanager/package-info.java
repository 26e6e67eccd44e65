/**
 * The managers' gossip keys: created when the swarm has none and rotated every 12 hours through
 * raft (the cluster object's {@code NetworkBootstrapKeys}); nodes get them with their session
 * answers over mutual TLS.
 *
 * <pre>{@code
 * GossipKeyManager keys = new GossipKeyManager(store, clock, new SecureRandom());
 * keys.start(); // on leadership; keys.close() when it ends
 * }</pre>
 */
package io.shoal.manager.keymanager;
