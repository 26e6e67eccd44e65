package io.shoal.network.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shoal.api.net.NodeNetworkView.Port;
import io.shoal.network.dns.ViewFixture;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** T3: the non-blocking userspace mesh on loopback sockets. */
class ProxyLoopTest {
  @Test
  void tcpIsSplicedRoundRobinSkippingDeadBackendsAndKeepsHalfCloses() throws Exception {
    try (ServerSocket b1 = echo("one"); ServerSocket b2 = echo("two"); ServerSocket dead = new ServerSocket(0);
        ProxyLoop loop = new ProxyLoop("test-mesh")) {
      int deadPort = dead.getLocalPort();
      dead.close();
      ProxyLoop.Port p = loop.open("tcp", new InetSocketAddress("127.0.0.1", 0));
      p.setBackends(List.of(InetSocketAddress.createUnresolved("127.0.0.1", b1.getLocalPort()),
          new InetSocketAddress("127.0.0.1", deadPort), new InetSocketAddress("127.0.0.1", b2.getLocalPort())));
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < 6; i++) {
        String a = ask(p.port(), "ping" + i); // the client half-closes, then reads the whole answer
        assertThat(a).matches("(one|two):ping" + i);
        seen.add(a.substring(0, a.indexOf(':')));
      }
      assertThat(seen).containsExactlyInAnyOrder("one", "two");
      p.setBackends(List.of());
      await().atMost(Duration.ofSeconds(10)).until(() -> refused(p.port()));
      p.close();
    }
  }

  @Test
  void manyConnectionsAtOnceOnOneThreadWithBigTransfers() throws Exception {
    try (ServerSocket big = sink(); ProxyLoop loop = new ProxyLoop("test-mesh")) {
      ProxyLoop.Port p = loop.open("tcp", new InetSocketAddress("127.0.0.1", 0));
      p.setBackends(List.of(new InetSocketAddress("127.0.0.1", big.getLocalPort())));
      int threadsBefore = Thread.activeCount();
      List<Socket> open = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        Socket s = new Socket("127.0.0.1", p.port());
        open.add(s);
      }
      // 200 connections held open: no thread per connection in the proxy
      assertThat(Thread.activeCount() - threadsBefore).isLessThan(200);
      for (Socket s : open) s.close();
      // 8 MiB through and its byte count back
      try (Socket s = new Socket("127.0.0.1", p.port())) {
        s.setSoTimeout(10_000);
        byte[] chunk = new byte[64 * 1024];
        OutputStream out = s.getOutputStream();
        for (int i = 0; i < 128; i++) out.write(chunk);
        s.shutdownOutput();
        assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("" + (128 * 64 * 1024));
      }
    }
  }

  @Test
  void udpFlowsReachBackendsAndAnswersComeBack() throws Exception {
    try (DatagramSocket b1 = udpEcho("one"); DatagramSocket b2 = udpEcho("two"); ProxyLoop loop = new ProxyLoop("test-mesh")) {
      ProxyLoop.Port p = loop.open("udp", new InetSocketAddress("127.0.0.1", 0));
      p.setBackends(List.of(new InetSocketAddress("127.0.0.1", b1.getLocalPort()), new InetSocketAddress("127.0.0.1", b2.getLocalPort())));
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < 4; i++) {
        try (DatagramSocket c = new DatagramSocket()) { // a new client address each time: a new flow
          c.setSoTimeout(3000);
          for (int j = 0; j < 2; j++) {
            byte[] q = ("q" + j).getBytes(StandardCharsets.UTF_8);
            c.send(new DatagramPacket(q, q.length, new InetSocketAddress("127.0.0.1", p.port())));
            DatagramPacket r = new DatagramPacket(new byte[100], 100);
            c.receive(r);
            String a = new String(r.getData(), 0, r.getLength(), StandardCharsets.UTF_8);
            assertThat(a).endsWith(":q" + j);
            seen.add(a.substring(0, a.indexOf(':')));
          }
        }
      }
      assertThat(seen).containsExactlyInAnyOrder("one", "two");
    }
  }

  @Test
  void aPortTakenByAnotherProgramIsAConflictNamedOnce() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 5, java.net.InetAddress.getByName("127.0.0.1")); RoutingMesh mesh = new RoutingMesh("127.0.0.1")) {
      MeshTable.PortKey k = new MeshTable.PortKey(taken.getLocalPort(), "tcp");
      mesh.apply(Map.of(k, new MeshTable.Entry("s1", "web", 80, List.of())));
      assertThat(mesh.refusedPorts()).containsExactly(taken.getLocalPort() + "/tcp");
      assertThat(mesh.refusals().get(k)).isEqualTo("port " + taken.getLocalPort() + "/tcp is already in use on this node by another program");
      taken.close();
      mesh.apply(Map.of(k, new MeshTable.Entry("s1", "web", 80, List.of())));
      assertThat(mesh.refusedPorts()).isEmpty();
      mesh.apply(Map.of());
      assertThat(mesh.backends()).isEmpty();
    }
  }

  @Test
  void tableFromTheViewUsesIngressAddressesAndLeavesStoppingTasksOut() {
    var view = new ViewFixture("n1").network("ing", "ingress", 0, true, false).network("net1", "app", 1)
        .vipService("web", "web", 2, List.of(new Port("tcp", 80, 8080, "ingress"), new Port("udp", 53, 5353, "ingress"),
            new Port("tcp", 22, 2222, "host")), "ing", "net1")
        .task("w1", "web", 1, "ing", 5, "n1").task("w1", "web", 1, "net1", 5, "n1")
        .task("w2", "web", 2, "ing", 6, "n2")
        .build();
    var table = MeshTable.fromView(view, Set.of("w2"));
    assertThat(table).containsOnlyKeys(new MeshTable.PortKey(8080, "tcp"), new MeshTable.PortKey(5353, "udp"));
    assertThat(table.get(new MeshTable.PortKey(8080, "tcp")).backends()).containsExactly(InetSocketAddress.createUnresolved("10.0.0.5", 80));
    assertThat(MeshTable.fromView(view, Set.of()).get(new MeshTable.PortKey(5353, "udp")).backends()).hasSize(2);
  }

  /** Answers each connection with "name:" + everything the client sent before its half-close. */
  static ServerSocket echo(String name) throws IOException {
    ServerSocket s = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
    Thread t = new Thread(() -> {
      while (!s.isClosed()) {
        try (Socket c = s.accept()) {
          byte[] req = c.getInputStream().readAllBytes();
          c.getOutputStream().write((name + ":" + new String(req, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
          // closed
        }
      }
    });
    t.setDaemon(true);
    t.start();
    return s;
  }

  /** Reads everything each connection sends and answers with the byte count; idle connections just wait. */
  private static ServerSocket sink() throws IOException {
    ServerSocket s = new ServerSocket(0, 300, java.net.InetAddress.getLoopbackAddress());
    Thread t = new Thread(() -> {
      while (!s.isClosed()) {
        try {
          Socket c = s.accept();
          Thread h = new Thread(() -> {
            try (c) {
              long n = 0;
              InputStream in = c.getInputStream();
              byte[] buf = new byte[65536];
              int r;
              while ((r = in.read(buf)) >= 0) n += r;
              c.getOutputStream().write(("" + n).getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
              // reset
            }
          });
          h.setDaemon(true);
          h.start();
        } catch (IOException e) {
          // closed
        }
      }
    });
    t.setDaemon(true);
    t.start();
    return s;
  }

  private static DatagramSocket udpEcho(String name) throws IOException {
    DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
    Thread t = new Thread(() -> {
      byte[] buf = new byte[512];
      while (!s.isClosed()) {
        try {
          DatagramPacket p = new DatagramPacket(buf, buf.length);
          s.receive(p);
          byte[] out = (name + ":" + new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
          s.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
        } catch (IOException e) {
          return;
        }
      }
    });
    t.setDaemon(true);
    t.start();
    return s;
  }

  private static String ask(int port, String msg) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(5000);
      s.getOutputStream().write(msg.getBytes(StandardCharsets.UTF_8));
      s.shutdownOutput();
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** With no backends the proxy accepts and closes at once: the client reads end of stream. */
  private static boolean refused(int port) {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(2000);
      return s.getInputStream().read() == -1;
    } catch (IOException e) {
      return true;
    }
  }
}
