/**
 * Service VIPs and the routing mesh in the kernel, without IPVS: a table of Shoal's own
 * ({@code ip shoal}) whose verdict maps send a VIP, or a published port on any of this node's
 * addresses, to a chain that picks a live task with {@code numgen}. Built as kube-proxy's
 * nftables mode is shaped (maps of verdicts, a chain per service, incremental transactions).
 *
 * <pre>{@code
 * KernelBalancer lb = new KernelBalancer("shoal", new Commands(null), mesh::refusedPorts);
 * lb.apply(view, Set.of());   // usually through NodeNetworking
 * }</pre>
 */
package io.shoal.network.vip;
