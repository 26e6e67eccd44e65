package io.shoal.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shoal.api.dispatch.Dispatcher;
import io.shoal.ca.tls.MutualTls;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * T3: many agents hold assignment streams on one manager without a thread each. The figure that
 * matters is the JVM's thread count, which must not grow with the number of streams: 40 more
 * streams must not bring 40 more threads (they bring none, give or take a pool warming up).
 */
class ManyWorkersTest extends RpcTestBase {
  private final ExecutorService clientPool = ClusterServer.boundedPool("test-agents", 4);
  private final List<ClusterChannels> channels = new ArrayList<>();
  private final List<DispatcherRpcTest.Listener> listeners = new ArrayList<>();

  @AfterEach
  void stop() {
    channels.forEach(ClusterChannels::close);
    clientPool.shutdownNow();
  }

  @Test
  void streamsDoNotCostThreads() {
    TestDispatcher d = new TestDispatcher();
    ClusterServer m = server(pki.manager("manager1"), b -> b.dispatcher(d));

    connect(d, m, 0, 20);
    int at20 = threads();
    long start = System.nanoTime();
    connect(d, m, 20, 60);
    int at60 = threads();

    for (int i = 0; i < 60; i++) {
      d.assign(Tasks.task("t" + i, "w" + i));
    }
    await().atMost(Duration.ofSeconds(60)).until(() ->
        listeners.stream().allMatch(l -> l.received.size() == 2));
    System.err.println("threads: " + at20 + " with 20 agent streams, " + at60 + " with 60 (both sides in"
        + " one JVM); 40 agents connected, registered and streamed in "
        + (System.nanoTime() - start) / 1_000_000 + " ms");
    assertThat(at60 - at20).isLessThan(8);
  }

  private void connect(TestDispatcher d, ClusterServer m, int from, int to) {
    for (int i = from; i < to; i++) {
      ClusterChannels ch = new ClusterChannels(MutualTls.keyManager(pki.worker("w" + i)), pki.ca, clientPool);
      channels.add(ch);
      RemoteDispatcher remote = new RemoteDispatcher(ch, List.of(addr(m)));
      Dispatcher.Session s = remote.register("w" + i, null, "");
      DispatcherRpcTest.Listener l = new DispatcherRpcTest.Listener();
      remote.assignments("w" + i, s.sessionId(), l);
      listeners.add(l);
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> d.openStreamsTotal() == to
        && listeners.stream().allMatch(l -> !l.received.isEmpty()));
  }

  private static int threads() {
    return ManagementFactory.getThreadMXBean().getThreadCount();
  }
}
