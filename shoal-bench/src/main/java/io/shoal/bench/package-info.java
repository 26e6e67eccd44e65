/**
 * Benchmark programs: each prints its figures (and, where there is a peer, the ratio measured side
 * by side in the same run); none asserts on time (DESIGN §5). One entry point, {@link
 * io.shoal.bench.Bench}, runs them by name; docs/BENCHMARKS.md has the commands, the figures seen
 * on the 2-core CI machine and what limits them.
 *
 * <pre>
 * mvn -o -q -B -pl shoal-bench install
 * mvn -o -q -B -pl shoal-bench dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -cp shoal-bench/target/classes:$(cat /tmp/cp.txt) io.shoal.bench.Bench control-plane --nodes 1000 --tasks 10000
 * # or: scripts/bench.sh control-plane --nodes 1000 --tasks 10000
 * </pre>
 *
 * <ul>
 *   <li>{@code hollow --managers 3 --nodes N}: {@link io.shoal.bench.HollowCluster} (real raft
 *       managers, real leader services, N in-JVM agents each with its own mutual-TLS dispatcher
 *       session and a hollow executor); heap per hollow node;
 *   <li>{@code control-plane --nodes N --tasks M}: time to all RUNNING, placements/s, p50/p99
 *       create→running;
 *   <li>{@code raft}: store commits/s and commit latency, 1 and N writers, pipelined, batched;
 *   <li>{@code engine}: Shoal vs Docker swarm mode vs parallel {@code docker run} on real engines;
 *   <li>{@code failover}: worker kill and leader kill, at two heartbeat periods, Shoal beside Docker's own swarm;
 *   <li>{@code mesh}: requests/s through the routing mesh vs direct vs a host-mode port;
 *   <li>{@code memory}: RSS of an idle manager, an idle agent, and per hollow node.
 * </ul>
 */
package io.shoal.bench;
