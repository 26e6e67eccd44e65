package io.shoal.bench;

import io.shoal.api.net.NodeNetworkView;
import io.shoal.api.net.NodeNetworkView.EndpointInfo;
import io.shoal.api.net.NodeNetworkView.NetworkInfo;
import io.shoal.api.net.NodeNetworkView.Port;
import io.shoal.api.net.NodeNetworkView.ServiceInfo;
import io.shoal.api.net.NodeNetworkView.Vip;
import io.shoal.network.dns.DnsServer;
import io.shoal.network.dns.NameDirectory;
import io.shoal.network.dns.Upstreams;
import io.shoal.network.ip.Cidr;
import io.shoal.network.vip.Commands;
import io.shoal.network.vip.KernelBalancer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * {@code net [--requests 2000] [--clients 4] [--rounds 3] [--services 1000] [--queries 2000]
 * [--engine-host unix:///...] [--dns-only]}: the node data path's figures, side by side in one run.
 * <ul>
 *   <li><b>kernel paths</b>: network namespaces made here ({@code shoalnb-*}): a client, a node
 *       with a bridge and Shoal's nftables table, two task namespaces. Requests per second and
 *       connect latency (a new TCP connection per request) straight to a task vs through the
 *       routing mesh (the node's address, DNAT to a local task, no SNAT) — from the client — and
 *       straight to a task vs through the service's VIP — from a task. Interleaved in rounds.
 *   <li><b>nft updates</b>: a table with {@code --services} services (a VIP, two tasks and a
 *       published port each) loaded whole, then one task stopping at a time: the time of the
 *       incremental {@code nft -f} and of the whole {@code onTaskStopping} step on one node.
 *   <li><b>DNS</b>, when the engine answers: from a container's network namespace on an engine
 *       bridge network, query latency p50/p99 of Shoal's resolver (in this process, on the
 *       bridge's gateway address) and of the engine's embedded DNS (127.0.0.11), same client.
 * </ul>
 * Needs root and nft; says so and skips the kernel parts otherwise. Everything made is removed.
 */
public final class NetBench {
  private static final String NODE = "shoalnb-node";
  private static final String CLIENT = "shoalnb-cl";
  private static final String B1 = "shoalnb-b1";
  private static final String B2 = "shoalnb-b2";
  private static final String SCALE = "shoalnb-scale";
  private static final List<String> NAMESPACES = List.of(NODE, CLIENT, B1, B2, SCALE);

  private NetBench() {}

  public static void run(String[] argv, PrintStream out) throws Exception {
    if (argv.length > 0 && argv[0].equals("--worker")) {
      worker(argv, out);
      return;
    }
    Args args = new Args(argv);
    int requests = args.integer("requests", 2000);
    int clients = args.integer("clients", 4);
    int rounds = args.integer("rounds", 3);
    int services = args.integer("services", 1000);
    int queries = args.integer("queries", 2000);
    String host = args.string("engine-host", Engine.DEFAULT_HOST);
    HollowCluster.printMachine(out);
    boolean root = "root".equals(System.getProperty("user.name"));
    if (args.flag("dns-only")) {
      out.println("net: kernel paths and nft updates not run (--dns-only)");
    } else if (!root || !new Commands(null).nftUsable()) {
      out.println("net: SKIPPED kernel paths and nft updates: needs root and nft");
    } else {
      List<Process> servers = new ArrayList<>();
      try {
        cleanup();
        topology();
        servers.add(server(B1));
        servers.add(server(B2));
        kernelPaths(out, requests, clients, rounds);
        nftUpdates(out, services);
      } finally {
        for (Process p : servers) {
          p.destroy();
          p.waitFor();
        }
        cleanup();
      }
    }
    String why = Engine.unavailable(host);
    if (why != null) out.println("net: SKIPPED DNS: " + why);
    else dns(out, host, queries);
  }

  // ---- kernel paths

  private static void topology() throws Exception {
    for (String ns : NAMESPACES) sh("ip netns add " + ns);
    sh("ip netns exec " + NODE + " sysctl -qw net.ipv4.ip_forward=1");
    sh("ip netns exec " + NODE + " ip link add brnb0 type bridge");
    sh("ip netns exec " + NODE + " ip addr add 10.0.0.1/24 dev brnb0");
    sh("ip netns exec " + NODE + " ip link set brnb0 up");
    int i = 0;
    for (String b : List.of(B1, B2)) {
      i++;
      sh("ip link add vnb" + i + " netns " + NODE + " type veth peer name eth0 netns " + b);
      sh("ip netns exec " + NODE + " ip link set vnb" + i + " master brnb0 up");
      sh("ip netns exec " + b + " ip addr add 10.0.0." + (4 + i) + "/24 dev eth0");
      sh("ip netns exec " + b + " ip link set eth0 up");
      sh("ip netns exec " + b + " ip link set lo up");
      sh("ip netns exec " + b + " ip route add default via 10.0.0.1");
    }
    sh("ip link add vnbc netns " + NODE + " type veth peer name eth0 netns " + CLIENT);
    sh("ip netns exec " + NODE + " ip addr add 192.168.202.1/24 dev vnbc");
    sh("ip netns exec " + NODE + " ip link set vnbc up");
    sh("ip netns exec " + CLIENT + " ip addr add 192.168.202.2/24 dev eth0");
    sh("ip netns exec " + CLIENT + " ip link set eth0 up");
    sh("ip netns exec " + CLIENT + " ip route add default via 192.168.202.1");
  }

  private static void cleanup() throws Exception {
    for (String ns : NAMESPACES) new ProcessBuilder("ip", "netns", "del", ns).redirectErrorStream(true).start().waitFor();
  }

  /** One service "web" with a VIP and port 8080 → 80, its tasks in b1 and b2, both on this node. */
  private static NodeNetworkView webView() {
    NetworkInfo ing = new NetworkInfo("ing", "ingress", "10.0.0.0/24", "10.0.0.1/24", 4096, 1450, true, false, false);
    List<EndpointInfo> eps = List.of(
        new EndpointInfo("ing", "w1", "web.1.w1", "web", "web", 1, "10.0.0.5/24", "02:42:0a:00:00:05", "n1", List.of()),
        new EndpointInfo("ing", "w2", "web.2.w2", "web", "web", 2, "10.0.0.6/24", "02:42:0a:00:00:06", "n1", List.of()));
    ServiceInfo web = new ServiceInfo("web", "web", "vip", List.of(new Vip("ing", "10.0.0.2/24")), List.of(new Port("tcp", 80, 8080, "ingress")));
    return new NodeNetworkView(1, "n1", List.of(ing), eps, List.of(web), List.of());
  }

  private static void kernelPaths(PrintStream out, int requests, int clients, int rounds) throws Exception {
    KernelBalancer lb = new KernelBalancer("shoalnb", new Commands(NODE), Set::of);
    try {
      lb.apply(webView(), Set.of());
      out.printf("net: kernel paths, %d rounds of %d requests per path, %d concurrent clients, a new TCP connection per request%n",
          rounds, requests, clients);
      String[][] paths = {
          {"direct (client -> task)", CLIENT, "10.0.0.5", "80"},
          {"mesh (client -> node:8080, DNAT)", CLIENT, "192.168.202.1", "8080"},
          {"direct (task -> task)", B2, "10.0.0.5", "80"},
          {"VIP (task -> VIP, DNAT+SNAT)", B2, "10.0.0.2", "80"}};
      for (String[] p : paths) call(p[1], p[2], p[3], "" + Math.min(200, requests), "" + clients); // warm-up
      double[][] rps = new double[paths.length][rounds];
      String[] lat = new String[paths.length];
      for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < paths.length; i++) {
          String[] res = call(paths[i][1], paths[i][2], paths[i][3], "" + requests, "" + clients).strip().split(" ");
          rps[i][r] = Double.parseDouble(res[0]);
          lat[i] = res[1] + " / " + res[2] + " ms";
        }
      }
      for (int i = 0; i < paths.length; i++) {
        out.printf("  %-36s %8.0f req/s (median of rounds %s), connect p50/p99 %s%n", paths[i][0], median(rps[i]),
            java.util.Arrays.toString(java.util.Arrays.stream(rps[i]).map(Math::rint).toArray()), lat[i]);
      }
      out.printf("  mesh/direct %.0f %%, VIP/direct %.0f %%%n", 100 * median(rps[1]) / median(rps[0]), 100 * median(rps[3]) / median(rps[2]));
    } finally {
      lb.close();
    }
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    java.util.Arrays.sort(s);
    return s[s.length / 2];
  }

  // ---- nft updates at scale

  private static NodeNetworkView scaleView(int n) {
    NetworkInfo app = new NetworkInfo("app", "app", "10.64.0.0/12", "10.64.0.1/12", 4097, 1450, false, false, false);
    NetworkInfo ing = new NetworkInfo("ing", "ingress", "10.0.0.0/16", "10.0.0.1/16", 4096, 1450, true, false, false);
    List<EndpointInfo> eps = new ArrayList<>();
    List<ServiceInfo> svcs = new ArrayList<>();
    int app0 = Cidr.toInt("10.64.0.10");
    int ing0 = Cidr.toInt("10.0.1.0");
    for (int i = 0; i < n; i++) {
      String s = "s" + i;
      svcs.add(new ServiceInfo(s, s, "vip", List.of(new Vip("app", Cidr.toString(app0 + 3 * i) + "/12")),
          List.of(new Port("tcp", 80, 20000 + i, "ingress"))));
      for (int t = 1; t <= 2; t++) {
        eps.add(new EndpointInfo("app", s + "t" + t, s + "." + t + "." + s + "t" + t, s, s, t, Cidr.toString(app0 + 3 * i + t) + "/12", "", "n1", List.of()));
        eps.add(new EndpointInfo("ing", s + "t" + t, s + "." + t + "." + s + "t" + t, s, s, t, Cidr.toString(ing0 + 2 * i + t) + "/16", "", t == 1 ? "n1" : "n2", List.of()));
      }
    }
    return new NodeNetworkView(1, "n1", List.of(ing, app), eps, svcs, List.of());
  }

  private static void nftUpdates(PrintStream out, int services) throws Exception {
    NodeNetworkView view = scaleView(services);
    KernelBalancer lb = new KernelBalancer("shoalnb_scale", new Commands(SCALE), Set::of);
    try {
      long t0 = System.nanoTime();
      lb.apply(view, Set.of());
      long full = System.nanoTime() - t0;
      Stats nft = new Stats();
      Stats step = new Stats();
      Stats dir = new Stats();
      SplittableRandom rnd = new SplittableRandom(42);
      Set<String> stopping = new java.util.HashSet<>();
      for (int k = 0; k < 50; k++) {
        stopping.add("s" + rnd.nextInt(services) + "t" + (1 + rnd.nextInt(2)));
        long a = System.nanoTime();
        NameDirectory.of(view, stopping); // what the resolver rebuilds on the same signal
        long b = System.nanoTime();
        lb.apply(view, Set.copyOf(stopping));
        long c = System.nanoTime();
        dir.add((b - a) / 1000);
        nft.add(lb.lastUpdateNanos() / 1000);
        step.add((c - a) / 1000);
      }
      out.printf("net: nft with %d services (%d VIPs, %d published ports, %d backends): whole table %.0f ms;%n", services, services,
          services, 4 * services, full / 1e6);
      out.printf("  one task stopping: nft -f of the change p50 %.1f ms p99 %.1f ms; resolver names rebuilt p50 %.1f ms;"
          + " whole step (names + model + diff + nft) p50 %.1f ms p99 %.1f ms (50 steps, seed 42)%n",
          nft.percentile(50) / 1000.0, nft.percentile(99) / 1000.0, dir.percentile(50) / 1000.0,
          step.percentile(50) / 1000.0, step.percentile(99) / 1000.0);
    } finally {
      lb.close();
    }
  }

  // ---- DNS

  private static void dns(PrintStream out, String host, int queries) throws Exception {
    String net = "shoalnb-dns";
    String a = "shoalnb-dns-a";
    String b = "shoalnb-dns-b";
    Proc.docker(host, "rm", "-f", a, b);
    Proc.docker(host, "network", "rm", net);
    DnsServer server = null;
    try {
      Proc.Result r = Proc.docker(host, "network", "create", "--subnet", "10.213.0.0/24", "--gateway", "10.213.0.1", net);
      if (!r.ok()) throw new IllegalStateException("docker network create: " + r.out());
      for (String[] c : new String[][] {{a, "10.213.0.10"}, {b, "10.213.0.20"}}) {
        r = Proc.docker(host, "run", "-d", "--name", c[0], "--network", net, "--ip", c[1], Engine.IMAGE, "sleep", "600");
        if (!r.ok()) throw new IllegalStateException("docker run: " + r.out());
      }
      String pid = Proc.docker(host, "inspect", "-f", "{{.State.Pid}}", a).out().strip();
      NetworkInfo n = new NetworkInfo("dn", "dnsnet", "10.213.0.0/24", "10.213.0.1/24", 4096, 1450, false, false, true);
      List<EndpointInfo> eps = List.of(
          new EndpointInfo("dn", "ta", "client.1.ta", "client", "client", 1, "10.213.0.10/24", "", "n1", List.of()),
          new EndpointInfo("dn", "tb", "web.1.tb", "web", "web", 1, "10.213.0.20/24", "", "n1", List.of()));
      NodeNetworkView view = new NodeNetworkView(1, "n1", List.of(n), eps,
          List.of(new ServiceInfo("web", "web", "vip", List.of(new Vip("dn", "10.213.0.2/24")), List.of()),
              new ServiceInfo("client", "client", "vip", List.of(), List.of())), List.of());
      server = new DnsServer(53, new Upstreams(List.of(), Duration.ofSeconds(1)), new SplittableRandom(1));
      server.setDirectory(NameDirectory.of(view, Set.of()));
      Set<String> failed = server.listenOn(Set.of("10.213.0.1"));
      if (!failed.isEmpty()) throw new IllegalStateException("cannot listen on 10.213.0.1:53");
      out.printf("net: DNS from container %s's network namespace, %d sequential A queries each (after 200 warm-up)%n", a, queries);
      String shoal = nsJava(pid, "dns", "10.213.0.1", "web", "" + queries);
      String engine = nsJava(pid, "dns", "127.0.0.11", b, "" + queries);
      out.println("  Shoal's resolver (web -> VIP):          " + shoal.strip());
      out.println("  engine's embedded DNS (container name): " + engine.strip());
    } finally {
      if (server != null) server.close();
      Proc.docker(host, "rm", "-f", a, b);
      Proc.docker(host, "network", "rm", net);
    }
  }

  // ---- processes in the namespaces

  private static String java() {
    return ProcessHandle.current().info().command().orElse("java");
  }

  private static Process server(String ns) throws Exception {
    Process p = new ProcessBuilder("ip", "netns", "exec", ns, java(), "-cp", System.getProperty("java.class.path"),
        Bench.class.getName(), "net", "--worker", "server", "80").redirectErrorStream(true).start();
    String line = new String(p.getInputStream().readNBytes(6), StandardCharsets.UTF_8);
    if (!line.startsWith("ready")) throw new IOException("server in " + ns + " did not start: " + line);
    return p;
  }

  private static String call(String ns, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, java(), "-cp", System.getProperty("java.class.path"),
        Bench.class.getName(), "net", "--worker", "client"));
    cmd.addAll(List.of(args));
    return runWorker(cmd);
  }

  private static String nsJava(String pid, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("nsenter", "-t", pid, "-n", java(), "-cp", System.getProperty("java.class.path"),
        Bench.class.getName(), "net", "--worker"));
    cmd.addAll(List.of(args));
    return runWorker(cmd);
  }

  private static String runWorker(List<String> cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) throw new IOException(String.join(" ", cmd) + ": " + out);
    return out.lines().reduce((x, y) -> y).orElse("");
  }

  private static void sh(String cmd) throws Exception {
    Process p = new ProcessBuilder("sh", "-c", cmd).redirectErrorStream(true).start();
    String o = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) throw new IOException(cmd + ": " + o);
  }

  /** The programs run inside the namespaces: server PORT | client HOST PORT N C | dns SERVER NAME N. */
  private static void worker(String[] a, PrintStream out) throws Exception {
    switch (a[1]) {
      case "server" -> {
        try (ServerSocket ss = new ServerSocket()) {
          ss.setReuseAddress(true);
          ss.bind(new InetSocketAddress("0.0.0.0", Integer.parseInt(a[2])), 1024);
          System.out.print("ready\n");
          System.out.flush();
          ExecutorService pool = Executors.newCachedThreadPool();
          while (true) {
            Socket c = ss.accept();
            pool.execute(() -> {
              try (c) {
                InputStream in = c.getInputStream();
                in.read(new byte[256]);
                OutputStream o = c.getOutputStream();
                o.write("HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\nok\n".getBytes(StandardCharsets.UTF_8));
              } catch (IOException e) {
                // client gone
              }
            });
          }
        }
      }
      case "client" -> {
        InetSocketAddress to = new InetSocketAddress(a[2], Integer.parseInt(a[3]));
        int n = Integer.parseInt(a[4]);
        int c = Integer.parseInt(a[5]);
        Stats connect = new Stats();
        ExecutorService pool = Executors.newFixedThreadPool(c);
        long t0 = System.nanoTime();
        List<Future<?>> fs = new ArrayList<>();
        for (int i = 0; i < c; i++) {
          int share = n / c + (i < n % c ? 1 : 0);
          fs.add(pool.submit(() -> {
            byte[] buf = new byte[256];
            for (int k = 0; k < share; k++) {
              try (Socket s = new Socket()) {
                long s0 = System.nanoTime();
                s.connect(to, 3000);
                connect.addSync((System.nanoTime() - s0) / 1000);
                s.setSoTimeout(3000);
                s.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.UTF_8));
                while (s.getInputStream().read(buf) >= 0) {
                  // until the server closes
                }
              }
            }
            return null;
          }));
        }
        for (Future<?> f : fs) f.get();
        double secs = (System.nanoTime() - t0) / 1e9;
        pool.shutdown();
        out.printf("%.1f %.2f %.2f%n", n / secs, connect.percentile(50) / 1000.0, connect.percentile(99) / 1000.0);
      }
      case "dns" -> {
        SimpleResolver r = new SimpleResolver(new InetSocketAddress(a[2], 53));
        r.setTimeout(Duration.ofSeconds(2));
        Message q = Message.newQuery(Record.newRecord(Name.fromString(a[3], Name.root), Type.A, DClass.IN));
        int n = Integer.parseInt(a[4]);
        for (int i = 0; i < 200; i++) r.send(q);
        Stats s = new Stats();
        int bad = 0;
        for (int i = 0; i < n; i++) {
          long t0 = System.nanoTime();
          Message m = r.send(q);
          s.add((System.nanoTime() - t0) / 1000);
          if (m.getSection(org.xbill.DNS.Section.ANSWER).isEmpty()) bad++;
        }
        out.printf("p50 %.3f ms, p99 %.3f ms, max %.3f ms, %d of %d without an answer%n", s.percentile(50) / 1000.0,
            s.percentile(99) / 1000.0, s.max() / 1000.0, bad, n);
      }
      default -> throw new IllegalArgumentException("unknown worker " + a[1]);
    }
  }
}
