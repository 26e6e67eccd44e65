/**
 * The Docker executor: each task is a container of a Docker engine, named and labelled as Docker
 * swarm does so a restarted agent adopts it. Ingress-mode ports are published on an ephemeral
 * 127.0.0.1 port (reported in the task's {@code IngressBindings} for the routing mesh), host-mode
 * ports on the published port of every address. Secrets and configs are files under the task
 * dir, bind-mounted read-only.
 *
 * <pre>{@code
 * ExecutorService blocking = Executors.newCachedThreadPool();
 * Executor exec = new DockerExecutor(
 *     DockerExecutorConfig.of("unix:///run/shoal-engine/docker.sock", nodeId, dataDir),
 *     Clock.systemUTC(), blocking);
 * Agent agent = new Agent(AgentConfig.defaults(nodeId, addr, dataDir), dispatcher, exec, clock, random, scheduler);
 * }</pre>
 */
package io.shoal.executor.docker;
