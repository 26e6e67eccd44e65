package io.shoal.network.vip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shoal.api.net.NodeNetworkView;
import io.shoal.api.net.NodeNetworkView.Port;
import io.shoal.network.dns.ViewFixture;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * T3 on the real kernel: Shoal's nftables table loaded in a network namespace the test makes,
 * with traffic between namespaces. "node" holds bridge brdns0 (10.0.0.1/24, the ingress network)
 * and a link to "client" (192.168.201.0/24); b1 (10.0.0.5) and b2 (10.0.0.6) are the service's
 * tasks, b1 on this node and b2 said to be on another one (so it must be reached with SNAT).
 * Every namespace's name contains "dns"; all are removed afterwards. Skipped, loudly, when not
 * root or without nft.
 */
class KernelBalancerNetnsTest {
  private static final String NODE = "shoal-dns-node";
  private static final String CLIENT = "shoal-dns-cl";
  private static final String B1 = "shoal-dns-b1";
  private static final String B2 = "shoal-dns-b2";
  private static final String TABLE = "shoal_dns_test";
  private static final List<Process> servers = new ArrayList<>();
  private static boolean made;

  @BeforeAll
  static void namespaces() throws Exception {
    boolean root = "root".equals(System.getProperty("user.name"));
    boolean nft = new File("/usr/sbin/nft").canExecute() || new File("/sbin/nft").canExecute();
    if (!root || !nft) {
      System.err.println("SKIPPED KernelBalancerNetnsTest: needs root and nft (root=" + root + ", nft=" + nft + ")");
      Assumptions.abort("needs root and nft");
    }
    cleanup();
    made = true;
    for (String ns : List.of(NODE, CLIENT, B1, B2)) sh("ip netns add " + ns);
    sh("ip netns exec " + NODE + " sysctl -qw net.ipv4.ip_forward=1");
    sh("ip netns exec " + NODE + " ip link add brdns0 type bridge");
    sh("ip netns exec " + NODE + " ip addr add 10.0.0.1/24 dev brdns0");
    sh("ip netns exec " + NODE + " ip link set brdns0 up");
    int i = 0;
    for (String b : List.of(B1, B2)) {
      i++;
      sh("ip link add vdns" + i + "a netns " + NODE + " type veth peer name eth0 netns " + b);
      sh("ip netns exec " + NODE + " ip link set vdns" + i + "a master brdns0 up");
      sh("ip netns exec " + b + " ip addr add 10.0.0." + (4 + i) + "/24 dev eth0");
      sh("ip netns exec " + b + " ip link set eth0 up");
      sh("ip netns exec " + b + " ip link set lo up");
      sh("ip netns exec " + b + " ip route add default via 10.0.0.1");
    }
    sh("ip link add vdnsc netns " + NODE + " type veth peer name eth0 netns " + CLIENT);
    sh("ip netns exec " + NODE + " ip addr add 192.168.201.1/24 dev vdnsc");
    sh("ip netns exec " + NODE + " ip link set vdnsc up");
    sh("ip netns exec " + CLIENT + " ip addr add 192.168.201.2/24 dev eth0");
    sh("ip netns exec " + CLIENT + " ip link set eth0 up");
    sh("ip netns exec " + CLIENT + " ip route add default via 192.168.201.1");
    servers.add(server(B1, "b1"));
    servers.add(server(B2, "b2"));
  }

  @AfterAll
  static void cleanup() throws Exception {
    for (Process p : servers) {
      p.destroy();
      p.waitFor(5, TimeUnit.SECONDS);
    }
    servers.clear();
    for (String ns : List.of(NODE, CLIENT, B1, B2)) {
      new ProcessBuilder("ip", "netns", "del", ns).redirectErrorStream(true).start().waitFor();
    }
  }

  private static void sh(String cmd) throws Exception {
    Process p = new ProcessBuilder("sh", "-c", cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) throw new IOException(cmd + ": " + out);
  }

  private static String java() {
    return ProcessHandle.current().info().command().orElse("java");
  }

  private static Process server(String ns, String name) throws Exception {
    Process p = new ProcessBuilder("ip", "netns", "exec", ns, java(), "-cp", System.getProperty("java.class.path"),
        PeerEcho.class.getName(), name, "80").redirectErrorStream(true).start();
    BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line = r.readLine();
    if (!"ready".equals(line)) throw new IOException(name + " did not start: " + line);
    return p;
  }

  /** COUNT requests from a namespace; answers ("b1 192.168.201.2") mapped to how often. */
  private static List<String> call(String ns, String proto, String host, int port, int count) throws Exception {
    Process p = new ProcessBuilder("ip", "netns", "exec", ns, java(), "-cp", System.getProperty("java.class.path"),
        PeerEcho.class.getName(), "--client", proto, host, "" + port, "" + count).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out.lines().map(l -> l.replaceAll("=\\d+$", "")).toList();
  }

  private static NodeNetworkView view(long version) {
    return new ViewFixture("n1").version(version)
        .network("ing", "ingress", 0, true, false)
        .vipService("web", "web", 2, List.of(new Port("tcp", 80, 8080, "ingress"), new Port("udp", 80, 5353, "ingress")), "ing")
        .task("w1", "web", 1, "ing", 5, "n1")
        .task("w2", "web", 2, "ing", 6, "n2")
        .build();
  }

  @Test
  void vipAndMeshInTheKernel() throws Exception {
    Commands node = new Commands(NODE);
    KernelBalancer lb = new KernelBalancer(TABLE, node, Set::of);
    try {
      lb.apply(view(1), Set.of());
      assertThat(node.run(null, "nft", "list", "table", "ip", TABLE)).contains("mesh_tcp_8080", "vip_10_0_0_2");
      assertThat(node.run(null, "ip", "-o", "addr", "show", "dev", "brdns0")).contains("10.0.0.2/32");

      // mesh, TCP and UDP: the local task sees the client's own address, the remote one this node's gateway
      assertThat(call(CLIENT, "tcp", "192.168.201.1", 8080, 30)).containsExactlyInAnyOrder("b1 192.168.201.2", "b2 10.0.0.1");
      assertThat(call(CLIENT, "udp", "192.168.201.1", 5353, 30)).containsExactlyInAnyOrder("b1 192.168.201.2", "b2 10.0.0.1");

      // the VIP from a task balances over both tasks, itself included (hairpin), always SNATed
      assertThat(call(B1, "tcp", "10.0.0.2", 80, 30)).containsExactlyInAnyOrder("b1 10.0.0.1", "b2 10.0.0.1");
      assertThat(call(B1, "udp", "10.0.0.2", 80, 30)).containsExactlyInAnyOrder("b1 10.0.0.1", "b2 10.0.0.1");

      // the agent stops w2: an incremental update takes it out of the mesh and the VIP
      lb.apply(view(2), Set.of("w2"));
      assertThat(call(CLIENT, "tcp", "192.168.201.1", 8080, 10)).containsExactly("b1 192.168.201.2");
      assertThat(call(B2, "tcp", "10.0.0.2", 80, 10)).containsExactly("b1 10.0.0.1");

      // no task left: the port and the VIP are refused by the node, not blackholed
      lb.apply(view(3), Set.of("w1", "w2"));
      assertThat(call(CLIENT, "tcp", "192.168.201.1", 8080, 2)).containsExactly("error ConnectException");
    } finally {
      lb.close();
    }
    assertThat(node.run(null, "nft", "list", "tables")).doesNotContain(TABLE);
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(node.run(null, "ip", "-o", "addr", "show", "dev", "brdns0")).doesNotContain("10.0.0.2/32"));
  }
}
