package io.shoal.network.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shoal.api.net.NodeNetworkView;
import io.shoal.api.net.NodeNetworkView.EndpointInfo;
import io.shoal.api.net.NodeNetworkView.NetworkInfo;
import io.shoal.api.net.NodeNetworkView.ServiceInfo;
import io.shoal.api.net.NodeNetworkView.Vip;
import io.shoal.network.node.NodeNetworking;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * T3: the resolver on real sockets. The "network" is 127.0.0.0/24 so that the test, asking from
 * 127.0.0.1, is a task on it; the "host resolver" is a fake upstream on another loopback port.
 */
class DnsServerTest {
  private DatagramSocket upstream;
  private Thread upstreamThread;
  private DnsServer server;
  private int port;

  @BeforeEach
  void start() throws Exception {
    upstream = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
    upstreamThread = new Thread(() -> {
      byte[] buf = new byte[1500];
      while (!upstream.isClosed()) {
        try {
          DatagramPacket p = new DatagramPacket(buf, buf.length);
          upstream.receive(p);
          Message q = new Message(java.util.Arrays.copyOf(p.getData(), p.getLength()));
          Message r = new Message(q.getHeader().getID());
          r.getHeader().setFlag(Flags.QR);
          r.addRecord(q.getQuestion(), Section.QUESTION);
          if (q.getQuestion().getName().toString().equals("outside.example.")) {
            r.addRecord(new ARecord(q.getQuestion().getName(), DClass.IN, 300, InetAddress.getByName("192.0.2.7")), Section.ANSWER);
          } else {
            r.getHeader().setRcode(Rcode.NXDOMAIN);
          }
          byte[] w = r.toWire();
          upstream.send(new DatagramPacket(w, w.length, p.getSocketAddress()));
        } catch (Exception e) {
          return;
        }
      }
    });
    upstreamThread.setDaemon(true);
    upstreamThread.start();
    try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      port = probe.getLocalPort();
    }
    server = new DnsServer(port, new Upstreams(List.of((InetSocketAddress) upstream.getLocalSocketAddress()), Duration.ofSeconds(2)),
        new SplittableRandom(1));
  }

  @AfterEach
  void stop() {
    server.close();
    upstream.close();
  }

  private static NodeNetworkView view(long version, String... taskIds) {
    List<EndpointInfo> eps = new java.util.ArrayList<>();
    eps.add(new EndpointInfo("lo", "caller", "client.1.caller", "client", "client", 1, "127.0.0.1/24", "02:42:7f:00:00:01", "n1", List.of()));
    int host = 10;
    for (String t : taskIds) {
      eps.add(new EndpointInfo("lo", t, "web.1." + t, "web", "web", host, "127.0.0." + host + "/24", "02:42:7f:00:00:0a", "n1", List.of("www")));
      host++;
    }
    return new NodeNetworkView(version, "n1",
        List.of(new NetworkInfo("lo", "loop", "127.0.0.0/24", "127.0.0.1/24", 4096, 1450, false, false, true)),
        eps,
        List.of(new ServiceInfo("web", "web", "vip", List.of(new Vip("lo", "127.0.0.2/24")), List.of()),
            new ServiceInfo("client", "client", "vip", List.of(), List.of())),
        List.of());
  }

  private Message ask(String name, boolean tcp) throws Exception {
    SimpleResolver r = new SimpleResolver(new InetSocketAddress("127.0.0.1", port));
    r.setTCP(tcp);
    r.setTimeout(Duration.ofSeconds(3));
    return r.send(Message.newQuery(Record.newRecord(Name.fromString(name, Name.root), Type.A, DClass.IN)));
  }

  private static List<String> addresses(Message m) {
    return m.getSection(Section.ANSWER).stream().map(r -> ((ARecord) r).getAddress().getHostAddress()).toList();
  }

  @Test
  void answersSwarmNamesOverUdpAndTcpAndForwardsTheRest() throws Exception {
    try (NodeNetworking net = new NodeNetworking(List.of(new ServiceDiscovery(server)))) {
      net.onView(view(1, "t1", "t2"));
      await().atMost(Duration.ofSeconds(5)).until(() -> server.listening().contains("127.0.0.1"));
      assertThat(addresses(ask("web", false))).containsExactly("127.0.0.2");
      assertThat(addresses(ask("tasks.www", true))).containsExactlyInAnyOrder("127.0.0.10", "127.0.0.11");
      assertThat(addresses(ask("outside.example", false))).containsExactly("192.0.2.7");
      assertThat(ask("nowhere.example", false).getRcode()).isEqualTo(Rcode.NXDOMAIN);

      // the agent says t1 is stopping: it leaves the answers at once, before any new view
      net.onTaskStopping("t1");
      assertThat(addresses(ask("tasks.web", false))).containsExactly("127.0.0.11");
      // a view that still lists t1 (the managers have not caught up) keeps it out
      net.onView(view(2, "t1", "t2"));
      assertThat(addresses(ask("tasks.web", false))).containsExactly("127.0.0.11");
      // once the view drops it the mark goes; a task with the same id coming back is answered
      net.onView(view(3, "t2"));
      net.onView(view(4, "t1", "t2"));
      assertThat(addresses(ask("tasks.web", false))).containsExactlyInAnyOrder("127.0.0.10", "127.0.0.11");
      // an older view arriving late changes nothing
      net.onView(view(3, "t2"));
      assertThat(addresses(ask("tasks.web", false))).hasSize(2);
    }
  }

  @Test
  void stopsListeningWhenTheNetworkGoes() throws Exception {
    ServiceDiscovery d = new ServiceDiscovery(server);
    d.apply(view(1, "t1"), Set.of());
    await().atMost(Duration.ofSeconds(5)).until(() -> server.listening().contains("127.0.0.1"));
    d.apply(new NodeNetworkView(2, "n1", List.of(), List.of(), List.of(), List.of()), Set.of());
    assertThat(server.listening()).isEmpty();
    d.close();
  }
}
