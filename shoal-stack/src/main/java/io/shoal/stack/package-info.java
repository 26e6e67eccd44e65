/**
 * Stacks: compose files to Swarm objects, and the plan that deploys them.
 *
 * <p>The whole flow, as {@code shoal stack deploy -c a.yml -c b.yml --prune shop} runs it (the
 * daemon or the CLI provides the {@link io.shoal.stack.plan.StackTarget}):
 *
 * <pre>{@code
 * ComposeProject project = ComposeLoader.builder()
 *     .environment(System.getenv())              // wins over .env beside a.yml
 *     .build()
 *     .load(List.of(Path.of("a.yml"), Path.of("b.yml")));
 * project.warnings().forEach(err::println);      // "Ignoring unsupported options: build"
 * StackSpecs specs = StackConverter.convert("shop", project);
 * StackPlan plan = StackPlanner.plan(specs, target.state("shop"), true);   // validates everything
 * new StackExecutor(target, Clock.systemUTC(), d -> Thread.sleep(d.toMillis()),
 *         Duration.ofMinutes(5), Duration.ofSeconds(1), out::println)
 *     .execute(plan);
 * }</pre>
 *
 * <p>{@code stack rm}: {@code new StackExecutor(...).execute(StackPlanner.remove("shop", target.state("shop")))}.
 * Every error is a {@link io.shoal.stack.StackException}; all but
 * {@link io.shoal.stack.StackException.DeployFailed} are raised before the first write.
 */
package io.shoal.stack;
