/**
 * Prometheus metrics of one node ({@code shoal daemon --metrics-addr}), through Micrometer with a
 * registry per daemon. Mostly gauges over state the node already holds ({@link
 * io.shoal.daemon.metrics.NodeMetrics}), counters read off the store's watch ({@link
 * io.shoal.daemon.metrics.StoreEventMetrics}) and decorators that time what passes through them
 * (the store's proposer, the agent's executor, the API router) — no component counts for metrics.
 *
 * <p>Families: {@code shoal_raft_*}, {@code shoal_store_*}, {@code shoal_dispatcher_*},
 * {@code shoal_scheduler_*}, {@code shoal_orchestrator_*}, {@code shoal_agent_*},
 * {@code shoal_api_*}, {@code shoal_network_*} (from the node's network view), and Micrometer's
 * {@code jvm_*} / {@code process_*}. The resolver's and gossip's own counters bind through
 * {@link io.shoal.daemon.metrics.Metrics#bind} ({@code shoal_network_dns_*}, {@code shoal_gossip_*}).
 *
 * <pre>{@code
 * Metrics metrics = new Metrics(() -> currentNodeRuntime);
 * metrics.nodeChanged();                 // after init / join / leave / role change
 * String text = metrics.scrape();        // what GET /metrics answers
 * }</pre>
 */
package io.shoal.daemon.metrics;
