/**
 * Service discovery: the resolver every task container is pointed at (this node's gateway
 * address on its first network). Swarm names are answered from the network view, scoped to the
 * networks the asking container shares; everything else goes to the host's resolvers.
 *
 * <pre>{@code
 * DnsServer server = new DnsServer(53, new Upstreams(Upstreams.parseResolvConf(text), Duration.ofSeconds(2)), random);
 * ServiceDiscovery discovery = new ServiceDiscovery(server);
 * discovery.apply(view, Set.of());   // usually through NodeNetworking
 * }</pre>
 */
package io.shoal.network.dns;
