/**
 * One socket for everything: Engine API requests that are not swarm-level (containers, images,
 * volumes, exec, local networks, system df, build...) go to the node's own engine, so a Swarm user's
 * one {@code DOCKER_HOST} per node serves {@code docker ps/run/exec/logs} as it does on dockerd.
 * {@link io.shoal.daemon.engine.EngineProxy} forwards a request and streams the answer back (logs
 * follow, pull progress, wait); an upgraded request ({@code attach}, {@code exec start}: Docker's
 * {@code Upgrade: tcp}) becomes an {@link io.shoal.daemon.engine.EngineTunnel}, the client's
 * connection spliced to the engine's, half-closes included. The API version in the path is lowered
 * to the engine's when it is older, as the CLI negotiates with us, not with it.
 *
 * <pre>{@code
 * EngineProxy proxy = EngineProxy.of(config.engineHost());       // or EngineProxy.none(reason)
 * router.fallback(proxy::handle);                               // every path the router does not serve
 * }</pre>
 */
package io.shoal.daemon.engine;
