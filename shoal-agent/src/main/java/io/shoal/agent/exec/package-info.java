/**
 * The executor SPI: how the agent runs tasks. An {@link io.shoal.agent.exec.Executor} describes
 * the node, lists task containers it already has (for adoption) and makes one {@link
 * io.shoal.agent.exec.TaskController} per task; controllers are asynchronous and idempotent (see
 * their threading contract). {@link io.shoal.agent.exec.HollowExecutor} runs nothing, for tests
 * and benchmarks.
 *
 * <pre>{@code
 * TaskController c = executor.controller(task, TaskDependencies.NONE);
 * c.prepare().thenCompose(v -> c.start()).thenCompose(v -> c.exit())
 *     .thenAccept(exit -> System.out.println("exited " + exit.code()));
 * }</pre>
 */
package io.shoal.agent.exec;
