/**
 * Reconciliation and the task state machine. {@link io.shoal.agent.worker.Reconciler} and {@link
 * io.shoal.agent.worker.TaskStateMachine} are pure functions (tested without threads); {@link
 * io.shoal.agent.worker.TaskRunner} is the thin shell that runs a controller's operations and
 * feeds the outcomes back into the machine.
 *
 * <pre>{@code
 * Step s = TaskStateMachine.next(status, TaskState.RUNNING, Facts.NOTHING, now);
 * // Advance(ACCEPTED "accepted") for an ASSIGNED task
 * }</pre>
 */
package io.shoal.agent.worker;
