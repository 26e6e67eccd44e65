/**
 * The process executor: a task's command runs as a host process (no engine needed). See {@link
 * io.shoal.executor.process.ProcessExecutor} for its limits (ports, isolation, no adoption).
 *
 * <pre>{@code
 * Executor exec = new ProcessExecutor(ProcessExecutorConfig.of(nodeId, dataDir), Clock.systemUTC(),
 *     scheduler, Executors.newCachedThreadPool());
 * }</pre>
 */
package io.shoal.executor.process;
