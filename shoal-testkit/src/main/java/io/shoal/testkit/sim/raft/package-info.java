/**
 * A compact Raft model for the T2 simulation — <b>not a production raft</b>. Production consensus
 * is Apache Ratis (shoal-raft), which runs on real threads and timers and cannot run on a
 * simulated clock; this model exists so that the layers above consensus (store, control API,
 * orchestrators, scheduler, dispatcher rules, agents) can be tested under elections, crashes and
 * partitions deterministically.
 *
 * <p>What it models: terms; RequestVote with the log-up-to-date check; AppendEntries with the
 * consistency check, conflict truncation and commit on a majority of the current term; a no-op
 * entry per new leader (its application is "leader ready", when Shoal starts leader services, as
 * with Ratis' {@code notifyLeaderReady}); a leader that cannot reach a majority for an election
 * timeout steps down (check-quorum). Persistent across a crash: term, vote, log and commit index;
 * the state machine is rebuilt by replaying the log. Not modelled: pre-vote, snapshots and log
 * compaction, membership changes, leader leases, flow control beyond a batch limit.
 *
 * <pre>{@code
 * RaftMember m = new RaftMember(sim, "m1", List.of("m1", "m2", "m3"), host, ids);
 * m.start();                                   // arms the election timer
 * long index = m.propose(proposal);            // on the leader; -1 elsewhere
 * // host.apply(index, entry) is called on every member once the entry is committed
 * }</pre>
 */
package io.shoal.testkit.sim.raft;
