package io.shoal.testkit.sim;

import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Seeds on which the simulation found bugs in shoal-manager's orchestrator cores (found in a soak
 * over seeds 100-399 of every scenario; the fixed seeds of {@link SimulationTest} do not hit them).
 * Disabled until the cores are fixed; then enable this class as their regression test.
 *
 * <p>1. <b>Stop-first slot runs two tasks</b> (worker-churn 215, 229, 300; mixed 221, 258, 274).
 * Two updates in quick succession: the round after the second plans "stop the first update's
 * replacement and create a new one", but the replacement changed between the plan's read and its
 * commit (a status report or the allocator wrote it), so PlanCommitter skips the stop and still
 * commits the create (the trace shows "Plan{creates=1, updates=1...}, 1 written"). The new task,
 * desired READY, is then promoted by {@code ReplicatedPlanner.promote}, which only waits for older
 * tasks desired SHUTDOWN or later — not for an older one still desired to run. The slot runs two tasks until the newer one is RUNNING and
 * UpdatePlanner shuts the older one down. Fix: commit a slot's stop and create together (skip the
 * create when its stop is skipped), and/or let promote wait for any older non-terminal task on a
 * live node and promote only the newest READY task of a slot.
 *
 * <p>2. <b>Start-first slot keeps old generations running</b> (mixed 163, 178, 316; worker-churn
 * 147, 212, 362). A start-first update's new task runs, but before the next orchestrator round the
 * user updates again: now both tasks are out of date, and UpdatePlanner only stops out-of-date
 * tasks once a task with the <em>current</em> spec runs. Until the update reaches that slot —
 * forever if the update pauses (mixed 178 ends with 7 containers for 6 replicas) — the slot runs
 * two or three generations. Fix: once any task of a slot runs, stop the older tasks of the slot
 * (newest running wins), whether or not it has the current spec.
 *
 * <p>3. <b>A global service never comes back to a node drained while down</b> (drain-global 6, 16,
 * 18). The node dies with its task RUNNING, is drained while away (the task is told SHUTDOWN), comes
 * back and reports the task FAILED (its container is gone), and is made active again. GlobalPlanner
 * reads the newest task — FAILED, i.e. "ended by itself and not replaced" — as the restart policy
 * having given up, and never creates a task there again, although the policy (any, unlimited) was
 * never asked: the task was not replaced because of the drain. Fix: only count a node as given up
 * when its newest task ended on its own while still wanted (desired READY/RUNNING) and
 * {@code RestartDecider.shouldRestart} said no; a task the managers had already told to stop is not
 * a verdict of the policy.
 */
@Disabled("production bugs in shoal-manager's UpdatePlanner/ReplicatedPlanner.promote/PlanCommitter; see the class doc")
class KnownBugsTest {
  @ParameterizedTest(name = "{0} seed {1}")
  @CsvSource({
      "worker-churn, 229", "worker-churn, 215", "worker-churn, 300", "mixed, 221", "mixed, 258", "mixed, 274",
      "mixed, 178", "mixed, 163", "mixed, 316", "worker-churn, 147", "worker-churn, 212", "worker-churn, 362",
      "drain-global, 6", "drain-global, 16", "drain-global, 18",
  })
  void runsClean(String scenario, long seed) {
    Chaos.run(Chaos.named(scenario), seed);
  }
}
