/**
 * What a node offers its operators besides the API — metrics and the console — and where they
 * listen: {@link io.shoal.daemon.ops.OpsAddress} parses {@code --metrics-addr} / {@code --ui-addr};
 * {@link io.shoal.daemon.ops.OpsListener} serves plain HTTP on loopback only, and mutual TLS (the
 * node's certificate, API client certificates of the swarm) on any other address; {@link
 * io.shoal.daemon.ops.Operations} ties both to the daemon's life and the node's membership.
 *
 * <pre>{@code
 * new Daemon(cfg, clock, random, executors, renewAt,
 *     node -> new Operations(OpsAddress.parse("--metrics-addr", "127.0.0.1:9323"), null, node, clock));
 * }</pre>
 */
package io.shoal.daemon.ops;
