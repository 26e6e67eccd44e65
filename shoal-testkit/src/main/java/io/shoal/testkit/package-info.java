/**
 * Helpers for tests of every module. {@link io.shoal.testkit.TestEngine} gives T5 tests a real
 * Docker engine or aborts them loudly; {@link io.shoal.testkit.RecordingDispatcher} is a real
 * in-memory {@link io.shoal.api.dispatch.Dispatcher} that records what agents send. The T2
 * deterministic simulation (managers, agents, faults, invariants on a simulated clock) is in
 * {@link io.shoal.testkit.sim}.
 *
 * <pre>{@code
 * var dispatcher = new RecordingDispatcher(1000);
 * dispatcher.assign("node-1", Assignments.full(List.of(task), List.of(), List.of()));
 * // ... start an agent against it, then:
 * await().until(() -> dispatcher.lastStatus(task.id()).state() == TaskState.RUNNING);
 * }</pre>
 */
package io.shoal.testkit;
