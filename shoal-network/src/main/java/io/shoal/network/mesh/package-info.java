/**
 * The routing mesh's userspace side: every node answers on every ingress-published port and
 * forwards to the service's running tasks, without IPVS (which this kind of machine lacks). Where
 * the kernel mesh ({@code io.shoal.network.vip}) runs, this serves only 127.0.0.1, which a DNAT
 * cannot; one non-blocking {@link io.shoal.network.mesh.ProxyLoop} serves TCP and UDP.
 *
 * <pre>{@code
 * RoutingMesh mesh = new RoutingMesh("0.0.0.0");
 * mesh.apply(MeshTable.compute(services, tasksOfService, nodeId -> "127.0.0.1"));
 * }</pre>
 */
package io.shoal.network.mesh;
