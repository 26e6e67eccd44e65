/**
 * The routing mesh: every node answers on every ingress-published port and forwards to the
 * service's running tasks, without IPVS (which this kind of machine lacks).
 *
 * <pre>{@code
 * RoutingMesh mesh = new RoutingMesh("0.0.0.0");
 * mesh.apply(MeshTable.compute(services, tasksOfService, nodeId -> "127.0.0.1"));
 * }</pre>
 */
package io.shoal.network.mesh;
