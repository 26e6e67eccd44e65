/**
 * T2, the deterministic simulation: N managers and M agents in one JVM, on a simulated clock and
 * one seeded random source, with faults injected and invariants checked after every step.
 *
 * <p>What runs for real: the store ({@code MemoryStore.apply} on every manager for every committed
 * entry), the control API ({@code ControlApi} on whichever manager a user picks), the orchestrator
 * ({@code Orchestrator#planFor}: replicated, global, update, restart, reaper), the scheduler core
 * ({@code SchedulerCore.schedule}) and {@code PlanCommitter}. What is modelled, and why:
 * <ul>
 *   <li>consensus: {@link io.shoal.testkit.sim.raft} — Ratis cannot run on a simulated clock;</li>
 *   <li>the dispatcher: {@link SimDispatcher} — DispatcherService owns threads and blocks;</li>
 *   <li>the allocator and scheduler shells' candidate selection ({@link LeaderServices}) — their
 *       {@code reconcile} is protected on final classes;</li>
 *   <li>the agent: {@link SimAgent} — shoal-agent depends on this module for its tests;</li>
 *   <li>writers never call {@code MemoryStore.update} on a manager's store (it would block on a
 *       commit only later events can make): they run on a {@link ScratchStore} copy and the
 *       proposals it records go through SimRaft.</li>
 * </ul>
 * Not modelled: clock skew between nodes (one clock), raft snapshots and membership changes,
 * managers that also run tasks, secrets/configs/networks, jobs, node labels and constraints.
 *
 * <p>Faults ({@link Chaos}): manager crash and restart (the store is rebuilt by replaying the raft
 * log), partitions (the leader alone, or a random split, with some agents on each side), message
 * drops and delays, worker kill and revive, a worker cut off (heartbeats lost: DOWN after three
 * periods, its tasks keep running and are stopped when it is back). Users create, scale, update and
 * remove services between faults. The invariants are in {@link Invariants}.
 *
 * <pre>{@code
 * Chaos.Result r = Chaos.run(Chaos.MIXED, 7);     // throws SimFailure ("... rerun with -Dshoal.sim.seed=7")
 *
 * SimCluster c = new SimCluster(7, 3, 4);         // or drive a cluster by hand
 * c.runFor(8_000);
 * c.control(c.manager(1), api -> api.createService(spec));
 * c.leader().crash();
 * c.runFor(30_000);
 * assert c.invariants().converged() == null;
 * }</pre>
 *
 * <p>Reproduce a failure: {@code mvn -o -pl shoal-testkit test -Dtest=SimReproTest
 * -Dshoal.sim.seed=N -Dshoal.sim.verbose=true}; hunt with {@code -Dshoal.sim.seeds=1000-1999}.
 */
package io.shoal.testkit.sim;
