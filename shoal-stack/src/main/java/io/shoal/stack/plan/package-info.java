/**
 * Deploy planning (pure) and execution (through {@link io.shoal.stack.plan.StackTarget}).
 *
 * <pre>{@code
 * StackPlan plan = StackPlanner.plan(specs, target.state("shop"), prune);
 * plan.steps().forEach(s -> out.println(s.describe()));   // dry run
 * Map<String, String> ids = new StackExecutor(target, clock, pauser,
 *     Duration.ofMinutes(5), Duration.ofSeconds(1), out::println).execute(plan);
 * }</pre>
 *
 * <p>The planner is a function of its inputs; the executor is the only part that writes, waits
 * on {@code depends_on} conditions by polling {@link io.shoal.stack.plan.StackTarget#readiness}
 * on the injected clock, and never sleeps itself (the {@link io.shoal.stack.plan.Pauser} does).
 */
package io.shoal.stack.plan;
