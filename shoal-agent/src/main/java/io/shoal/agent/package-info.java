/**
 * The worker side of a node. {@link io.shoal.agent.Agent} keeps the session with the manager's
 * dispatcher, reconciles its assignments into task runners and reports statuses in batches; it
 * also serves task logs ({@link io.shoal.api.dispatch.TaskLogs}).
 *
 * <pre>{@code
 * ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
 * Agent agent = new Agent(AgentConfig.defaults("node-1", "127.0.0.1", dataDir), dispatcher,
 *     new HollowExecutor("node-1", clock, scheduler, Duration.ZERO), clock,
 *     RandomGenerator.getDefault(), scheduler);
 * agent.start();   // adopts what runs, then registers
 * ...
 * agent.close();   // containers keep running; a new agent adopts them
 * }</pre>
 */
package io.shoal.agent;
