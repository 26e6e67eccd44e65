package io.shoal.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.shoal.api.dispatch.Assignments;
import io.shoal.api.dispatch.Dispatcher;
import io.shoal.api.dispatch.TaskStatusUpdate;
import io.shoal.api.error.ShoalException;
import io.shoal.api.model.Node;
import io.shoal.api.model.TaskState;
import io.shoal.api.model.TaskStatus;
import io.shoal.ca.NodeCredentials;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** T3: the agent-dispatcher contract across the wire, against a real small dispatcher. */
class DispatcherRpcTest extends RpcTestBase {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Node.Description DESCRIPTION = new Node.Description(
      "worker-host", new Node.Platform("x86_64", "linux"), null, null, null);

  private final NodeCredentials worker = pki.worker("worker1");

  /** Collects what an agent would receive. */
  static final class Listener implements Dispatcher.AssignmentListener {
    final List<Assignments> received = new CopyOnWriteArrayList<>();
    final AtomicReference<Throwable> closed = new AtomicReference<>();

    @Override
    public void onAssignments(Assignments a) {
      received.add(a);
    }

    @Override
    public void onClosed(Throwable cause) {
      closed.set(cause);
    }
  }

  @Test
  void registerHeartbeatStatusAndAssignments() throws Exception {
    TestDispatcher d = new TestDispatcher();
    d.assign(Tasks.task("t1", "worker1"));
    ClusterServer m = server(pki.manager("manager1"), b -> b.dispatcher(d));
    RemoteDispatcher remote = new RemoteDispatcher(channels(worker), List.of(addr(m)));

    // The node id is the certificate's: whatever the caller claims is ignored.
    Dispatcher.Session s = remote.register("someone-else", DESCRIPTION, "10.0.0.9:2377");
    assertThat(s.heartbeatPeriodMillis()).isEqualTo(TestDispatcher.PERIOD);
    assertThat(d.registrations).singleElement().satisfies(r -> {
      assertThat(r.nodeId()).isEqualTo("worker1");
      assertThat(r.description()).isEqualTo(DESCRIPTION);
      assertThat(r.addr()).isEqualTo("10.0.0.9:2377");
    });

    assertThat(remote.heartbeat("worker1", s.sessionId())).isEqualTo(TestDispatcher.PERIOD);
    assertThat(d.heartbeats).containsExactly("worker1");

    TaskStatusUpdate running = new TaskStatusUpdate("t1",
        TaskStatus.of(TaskState.RUNNING, "started", Instant.parse("2026-01-02T03:04:06Z")));
    remote.updateTaskStatus("worker1", s.sessionId(), List.of(running));
    assertThat(d.statuses).containsExactly(running);

    Listener l = new Listener();
    AutoCloseable stream = remote.assignments("worker1", s.sessionId(), l);
    await().atMost(WAIT).until(() -> l.received.size() == 1);
    Assignments full = l.received.get(0);
    assertThat(full.full()).isTrue();
    assertThat(full.tasks()).containsExactly(Tasks.task("t1", "worker1"));

    await().atMost(WAIT).until(() -> d.openStreams("worker1") == 1);
    d.assign(Tasks.task("t2", "worker1"));
    d.assign(Tasks.task("other", "worker2")); // not this node's
    await().atMost(WAIT).until(() -> l.received.size() == 2);
    assertThat(l.received.get(1).full()).isFalse();
    assertThat(l.received.get(1).tasks()).containsExactly(Tasks.task("t2", "worker1"));

    // Closing the handle ends the stream on the server without telling the agent.
    stream.close();
    await().atMost(WAIT).until(() -> d.openStreams("worker1") == 0);
    assertThat(l.closed.get()).isNull();
  }

  @Test
  void registerAndHeartbeatAnswersCarryTheNodesRoleAndTheManagers() {
    TestDispatcher d = new TestDispatcher();
    ClusterServer m = server(pki.manager("manager1"), b -> b.dispatcher(d));
    List<String> asked = new CopyOnWriteArrayList<>();
    m.setSessionInfo(nodeId -> {
      asked.add(nodeId);
      return new SessionInfo("manager", List.of(addr(m), "10.0.0.2:2377"),
          List.of(new io.shoal.api.model.GossipKeyRecord(7, "a2V5", java.time.Instant.parse("2026-12-07T00:00:00Z"))),
          List.of("gone1"), List.of("127.0.0.1:7946"));
    });
    RemoteDispatcher remote = new RemoteDispatcher(channels(worker), List.of(addr(m)));
    List<SessionInfo> heard = new CopyOnWriteArrayList<>();
    remote.onSessionInfo(heard::add);

    Dispatcher.Session s = remote.register("worker1", DESCRIPTION, "10.0.0.9:2377");
    remote.heartbeat("worker1", s.sessionId());
    assertThat(heard).hasSize(2).allSatisfy(i -> {
      assertThat(i.role()).isEqualTo("manager");
      assertThat(i.managers()).containsExactly(addr(m), "10.0.0.2:2377");
      // the gossip keys travel only here, over the node's mutual-TLS session
      assertThat(i.gossipKeys()).extracting(io.shoal.api.model.GossipKeyRecord::lamportTime).containsExactly(7L);
      assertThat(i.gossipKeys().get(0).key()).isEqualTo("a2V5");
      assertThat(i.removedNodes()).containsExactly("gone1");
      assertThat(i.gossipSeeds()).containsExactly("127.0.0.1:7946");
    });
    assertThat(asked).as("asked for the certificate's node").containsOnly("worker1");

    // a failing source is advice lost, not a failed heartbeat
    m.setSessionInfo(nodeId -> {
      throw new IllegalStateException("store closed");
    });
    assertThat(remote.heartbeat("worker1", s.sessionId())).isEqualTo(TestDispatcher.PERIOD);
    assertThat(heard).hasSize(2);
  }

  @Test
  void anUnknownSessionIsSessionExpiredOnTheClient() {
    TestDispatcher d = new TestDispatcher();
    ClusterServer m = server(pki.manager("manager1"), b -> b.dispatcher(d));
    RemoteDispatcher remote = new RemoteDispatcher(channels(worker), List.of(addr(m)));
    remote.register("worker1", DESCRIPTION, "");

    assertThatThrownBy(() -> remote.heartbeat("worker1", "bogus"))
        .isInstanceOf(Dispatcher.SessionExpired.class)
        .hasMessage("unknown session bogus for node worker1");
    assertThatThrownBy(() -> remote.updateTaskStatus("worker1", "bogus", List.of()))
        .isInstanceOf(Dispatcher.SessionExpired.class);

    Listener l = new Listener();
    remote.assignments("worker1", "bogus", l);
    await().atMost(WAIT).until(() -> l.closed.get() != null);
    assertThat(l.closed.get()).isInstanceOf(Dispatcher.SessionExpired.class)
        .hasMessage("unknown session bogus for node worker1");
  }

  @Test
  void aStreamTheDispatcherEndsFiresOnClosed() {
    TestDispatcher d = new TestDispatcher();
    ClusterServer m = server(pki.manager("manager1"), b -> b.dispatcher(d));
    RemoteDispatcher remote = new RemoteDispatcher(channels(worker), List.of(addr(m)));
    Dispatcher.Session s = remote.register("worker1", DESCRIPTION, "");
    Listener l = new Listener();
    remote.assignments("worker1", s.sessionId(), l);
    await().atMost(WAIT).until(() -> d.openStreams("worker1") == 1);

    d.expire("worker1");
    await().atMost(WAIT).until(() -> l.closed.get() != null);
    assertThat(l.closed.get()).isInstanceOf(Dispatcher.SessionExpired.class)
        .hasMessage("session of worker1 expired");
  }

  @Test
  void aManagerThatGoesAwayBreaksTheStreamAndTheAgentMovesToTheNextOne() {
    TestDispatcher d1 = new TestDispatcher();
    TestDispatcher d2 = new TestDispatcher();
    ClusterServer m1 = server(pki.manager("manager1"), b -> b.dispatcher(d1));
    ClusterServer m2 = server(pki.manager("manager2"), b -> b.dispatcher(d2));
    RemoteDispatcher remote = new RemoteDispatcher(channels(worker), List.of(addr(m1), addr(m2)));
    Dispatcher.Session s = remote.register("worker1", DESCRIPTION, "");
    assertThat(remote.currentManager()).isEqualTo(addr(m1));
    Listener l = new Listener();
    remote.assignments("worker1", s.sessionId(), l);
    await().atMost(WAIT).until(() -> d1.openStreams("worker1") == 1);

    m1.close();
    await().atMost(WAIT).until(() -> l.closed.get() != null);
    assertThatThrownBy(() -> remote.heartbeat("worker1", s.sessionId()))
        .isInstanceOf(RuntimeException.class);

    // What the agent does on onClosed: register again; it lands on the second manager.
    Dispatcher.Session s2 = remote.register("worker1", DESCRIPTION, "");
    assertThat(remote.currentManager()).isEqualTo(addr(m2));
    assertThat(d2.registrations).extracting(TestDispatcher.Registration::nodeId).containsExactly("worker1");
    assertThat(remote.heartbeat("worker1", s2.sessionId())).isEqualTo(TestDispatcher.PERIOD);
  }

  @Test
  void aSessionManagerThatLosesLeadershipSendsTheNextRegisterToTheNewLeader() {
    TestDispatcher d2 = new TestDispatcher();
    ClusterServer m2 = server(pki.manager("manager2"), b -> b.dispatcher(d2));
    TestDispatcher d1 = new TestDispatcher();
    ClusterServer m1 = server(pki.manager("manager1"), b -> b.dispatcher(d1).leaderAddress(() -> addr(m2)));
    String dead = deadAddress();
    // m2 is last in the list, after a dead address: only the hint can make it the next choice.
    RemoteDispatcher remote = new RemoteDispatcher(channels(worker), List.of(addr(m1), dead, addr(m2)));
    Dispatcher.Session s = remote.register("worker1", DESCRIPTION, "");

    m1.setDispatcher(new NotLeaderDispatcher()); // m1 stepped down; m2 leads
    assertThatThrownBy(() -> remote.heartbeat("worker1", s.sessionId()))
        .isInstanceOf(ShoalException.NotLeader.class)
        .hasMessage("this manager is not the leader");
    assertThat(remote.currentManager()).isEqualTo(addr(m2));

    remote.register("worker1", DESCRIPTION, "");
    assertThat(d2.registrations).hasSize(1);
  }

  @Test
  void registerSkipsAClosedFirstManager() {
    TestDispatcher d2 = new TestDispatcher();
    ClusterServer m2 = server(pki.manager("manager2"), b -> b.dispatcher(d2));
    RemoteDispatcher remote = new RemoteDispatcher(channels(worker), List.of(deadAddress(), addr(m2)));

    remote.register("worker1", DESCRIPTION, "");
    assertThat(remote.currentManager()).isEqualTo(addr(m2));
    assertThat(d2.registrations).hasSize(1);
  }

  @Test
  void aNotLeaderAnswerSendsTheAgentToTheLeader() {
    TestDispatcher leaderDispatcher = new TestDispatcher();
    ClusterServer leader = server(pki.manager("manager2"), b -> b.dispatcher(leaderDispatcher));
    ClusterServer follower = server(pki.manager("manager1"), b -> b
        .dispatcher(new NotLeaderDispatcher())
        .leaderAddress(() -> addr(leader)));
    // The worker only knows the follower; the leader's address comes with NotLeader.
    RemoteDispatcher remote = new RemoteDispatcher(channels(worker), List.of(addr(follower)));

    remote.register("worker1", DESCRIPTION, "");
    assertThat(remote.currentManager()).isEqualTo(addr(leader));
    assertThat(remote.managers()).containsExactly(addr(follower), addr(leader));
    assertThat(leaderDispatcher.registrations).hasSize(1);
  }

  @Test
  void noManagerReachableIsUnavailableNamingEachOne() {
    String a = deadAddress();
    ClusterServer follower = server(pki.manager("manager1"), b -> b.dispatcher(new NotLeaderDispatcher()));
    RemoteDispatcher remote = new RemoteDispatcher(channels(worker), List.of(a, addr(follower)));

    assertThatThrownBy(() -> remote.register("worker1", DESCRIPTION, ""))
        .isInstanceOf(ShoalException.Unavailable.class)
        .hasMessage("could not reach the leader through any manager at " + a + ", " + addr(follower) + ": "
            + a + ": Connection refused; " + addr(follower) + ": this manager is not the leader");
  }

  @Test
  void aWorkerIsNotADispatcher() {
    // Workers run a cluster server too (task logs), without a dispatcher: the agent moves on.
    ClusterServer otherWorker = server(pki.worker("worker2"), b -> b);
    TestDispatcher d = new TestDispatcher();
    ClusterServer m = server(pki.manager("manager1"), b -> b.dispatcher(d));
    RemoteDispatcher remote = new RemoteDispatcher(channels(worker), List.of(addr(otherWorker), addr(m)));

    remote.register("worker1", DESCRIPTION, "");
    assertThat(remote.currentManager()).isEqualTo(addr(m));
  }

  /** What a non-leader manager's dispatcher does. */
  static final class NotLeaderDispatcher implements Dispatcher {
    public Session register(String nodeId, Node.Description description, String addr) {
      throw new ShoalException.NotLeader("this manager is not the leader");
    }

    public long heartbeat(String nodeId, String sessionId) {
      throw new ShoalException.NotLeader("this manager is not the leader");
    }

    public void updateTaskStatus(String nodeId, String sessionId, List<TaskStatusUpdate> updates) {
      throw new ShoalException.NotLeader("this manager is not the leader");
    }

    public AutoCloseable assignments(String nodeId, String sessionId, AssignmentListener listener) {
      throw new ShoalException.NotLeader("this manager is not the leader");
    }
  }
}
