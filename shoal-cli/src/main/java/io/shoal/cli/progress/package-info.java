/**
 * The convergence wait of {@code service create|update|scale}: a pure {@link
 * io.shoal.cli.progress.Progress} evaluation per poll, a live {@link
 * io.shoal.cli.progress.ProgressView}, and the {@link io.shoal.cli.progress.ConvergenceWaiter}
 * loop on an injected clock.
 *
 * <pre>{@code
 * new ConvergenceWaiter(clock, sleeper, Duration.ofMillis(250), Duration.ofMinutes(10),
 *         new ProgressView(System.out, true, false))
 *     .await(() -> new Poll(api.service(id), api.tasks(Filters.of("service", id))), false);
 * }</pre>
 */
package io.shoal.cli.progress;
