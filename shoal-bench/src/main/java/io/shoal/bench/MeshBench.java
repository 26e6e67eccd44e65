package io.shoal.bench;

import com.sun.net.httpserver.HttpServer;
import io.shoal.network.mesh.ProxyLoop;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code mesh [--requests 2000] [--clients 4] [--rounds 3] [--engine-host unix:///...]}: HTTP
 * requests per second on loopback to one backend by three paths, interleaved in rounds so that
 * background load hits all three alike:
 * <ul>
 *   <li><b>direct</b>: straight to the backend;
 *   <li><b>mesh</b>: through Shoal's routing-mesh proxy ({@link ProxyLoop}, the non-blocking proxy a
 *       published port uses for 127.0.0.1) pointed at the backend;
 *   <li><b>host-mode</b>: Docker's own published port ({@code docker run -p 127.0.0.1:P:80}), the
 *       path a Swarm {@code mode=host} port takes. Docker's ingress (IPVS) is not measured: this
 *       kernel has no IPVS, so Swarm's ingress cannot answer here.
 * </ul>
 * The backend is busybox httpd in a container when the engine answers, else a JDK HttpServer
 * (then there is no host-mode path and the mesh is compared with direct only). Each request is a
 * new connection ({@code HTTP/1.0}): busybox httpd closes after each response, and a new
 * connection is what the mesh pays for (it proxies connections, not requests).
 */
public final class MeshBench {
  private MeshBench() {}

  public static void main(String[] args) throws Exception {
    Bench.main(HollowBench.prepend("mesh", args));
  }

  public static void run(String[] argv, PrintStream out) throws Exception {
    Args args = new Args(argv);
    int requests = args.integer("requests", 2000);
    int clients = args.integer("clients", 4);
    int rounds = args.integer("rounds", 3);
    String host = args.string("engine-host", Engine.DEFAULT_HOST);
    HollowCluster.printMachine(out);
    String why = args.flag("no-engine") ? "--no-engine given" : Engine.unavailable(host);
    String container = null;
    HttpServer jdk = null;
    InetSocketAddress backend;
    InetSocketAddress hostMode = null;
    ExecutorService pool = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "bench-mesh");
      t.setDaemon(true);
      return t;
    });
    try {
      if (why == null) {
        container = "shoalbench-mesh-" + ProcessHandle.current().pid();
        int hp = Integer.parseInt(HollowCluster.freeAddress().split(":")[1]);
        Proc.Result r = Proc.docker(host, "run", "-d", "--name", container, "-p", "127.0.0.1:" + hp + ":80", Engine.IMAGE,
            "httpd", "-f", "-p", "80", "-h", "/www");
        if (!r.ok()) throw new IllegalStateException("docker run failed: " + r.out());
        String ip = Proc.docker(host, "inspect", "-f", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}", container).out();
        backend = new InetSocketAddress(ip, 80);
        hostMode = new InetSocketAddress("127.0.0.1", hp);
        out.printf("mesh: backend busybox httpd in container %s at %s; host-mode port 127.0.0.1:%d (docker's publish)%n", container,
            ip, hp);
      } else {
        jdk = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        byte[] body = "<h1>Hello from Shoal</h1>\n".getBytes(StandardCharsets.UTF_8);
        jdk.createContext("/", ex -> {
          ex.sendResponseHeaders(200, body.length);
          try (OutputStream o = ex.getResponseBody()) {
            o.write(body);
          }
        });
        jdk.setExecutor(pool);
        jdk.start();
        backend = new InetSocketAddress("127.0.0.1", jdk.getAddress().getPort());
        out.printf("mesh: no engine (%s): backend is a JDK HttpServer on %s; no host-mode path to compare%n", why, backend);
      }
      InetSocketAddress b = backend;
      HollowCluster.waitFor(() -> get(b), java.time.Duration.ofSeconds(20), "the backend to answer");
      try (ProxyLoop loop = new ProxyLoop("bench-mesh")) {
        ProxyLoop.Port mesh = loop.open("tcp", new InetSocketAddress("127.0.0.1", 0));
        mesh.setBackends(List.of(backend));
        InetSocketAddress meshAddr = new InetSocketAddress("127.0.0.1", mesh.port());
        out.printf("mesh: %d rounds of %d requests per path, %d concurrent clients, a new connection per request%n", rounds,
            requests, clients);
        load(meshAddr, Math.min(200, requests), clients); // warm-up: JIT of the proxy and client
        double[] direct = new double[rounds];
        double[] viaMesh = new double[rounds];
        double[] viaHost = new double[rounds];
        for (int r = 0; r < rounds; r++) {
          direct[r] = load(backend, requests, clients);
          viaMesh[r] = load(meshAddr, requests, clients);
          viaHost[r] = hostMode == null ? Double.NaN : load(hostMode, requests, clients);
          out.printf("mesh: round %d: direct %.0f req/s, mesh %.0f req/s, host-mode %s%n", r + 1, direct[r], viaMesh[r],
              hostMode == null ? "n/a" : String.format("%.0f req/s", viaHost[r]));
        }
        double d = median(direct);
        double m = median(viaMesh);
        double h = median(viaHost);
        out.printf("mesh: median direct %.0f req/s, mesh %.0f req/s (%.0f%% of direct)%s%n", d, m, 100 * m / d,
            hostMode == null ? "" : String.format(", host-mode %.0f req/s; mesh/host-mode %.0f%% (target >= 90%%)", h, 100 * m / h));
      }
    } finally {
      if (container != null) Proc.docker(host, "rm", "-f", container);
      if (jdk != null) jdk.stop(0);
      pool.shutdownNow();
    }
  }

  private static double median(double[] xs) {
    double[] s = xs.clone();
    java.util.Arrays.sort(s);
    return s[s.length / 2];
  }

  private static boolean get(InetSocketAddress to) {
    try {
      return request(to);
    } catch (IOException e) {
      return false;
    }
  }

  /** {@code n} requests spread over {@code clients} threads; requests/s (failed ones do not count). */
  static double load(InetSocketAddress to, int n, int clients) throws Exception {
    ExecutorService ex = Executors.newFixedThreadPool(clients);
    try {
      List<Future<Integer>> fs = new ArrayList<>();
      long t0 = System.nanoTime();
      for (int c = 0; c < clients; c++) {
        int share = n / clients + (c < n % clients ? 1 : 0);
        fs.add(ex.submit(() -> {
          int ok = 0;
          for (int i = 0; i < share; i++) {
            try {
              if (request(to)) ok++;
            } catch (IOException e) {
              // counted as not ok
            }
          }
          return ok;
        }));
      }
      int ok = 0;
      for (Future<Integer> f : fs) ok += f.get();
      return ok / ((System.nanoTime() - t0) / 1e9);
    } finally {
      ex.shutdownNow();
    }
  }

  private static final byte[] REQUEST = "GET / HTTP/1.0\r\nHost: bench\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  /** One request on a new connection; true on a 200 with a body. */
  static boolean request(InetSocketAddress to) throws IOException {
    try (Socket s = new Socket()) {
      s.setSoTimeout(5000);
      s.connect(to, 5000);
      s.getOutputStream().write(REQUEST);
      InputStream in = s.getInputStream();
      byte[] buf = new byte[4096];
      int total = 0;
      int first = -1;
      for (int r; (r = in.read(buf)) > 0; ) {
        if (first < 0) first = r >= 12 ? buf[9] * 100 + buf[10] * 10 + buf[11] - 111 * '0' : 0;
        total += r;
      }
      return first == 200 && total > 0;
    }
  }
}
