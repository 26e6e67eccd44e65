package io.shoal.daemon;

import io.shoal.agent.exec.Executor;
import io.shoal.executor.docker.DockerExecutor;
import io.shoal.ca.RenewalSchedule;
import io.shoal.daemon.ops.OpsAddress;
import io.shoal.daemon.ops.Operations;
import io.shoal.network.overlay.CommandRunner;
import io.shoal.network.overlay.LinkShell;
import io.shoal.network.overlay.OverlayDataPath;
import io.shoal.daemon.tls.TlsApi;
import io.shoal.executor.docker.DockerExecutorConfig;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code shoal daemon}: flags named after dockerd's where they mean the same thing. Runs until
 * SIGTERM/SIGINT, then stops cleanly: the API closes, the agent detaches (containers keep
 * running), raft closes.
 */
@Command(name = "daemon", mixinStandardHelpOptions = true, description = "Run a Shoal node (the swarm's daemon).")
public final class DaemonMain implements java.util.concurrent.Callable<Integer> {
  @Option(names = "--data-root", description = "Where the node keeps its state (default: ${DEFAULT-VALUE})", defaultValue = "/var/lib/shoal")
  Path dataRoot;

  @Option(names = {"-H", "--host"}, description = "API address, repeatable: unix:///path.sock or tcp://127.0.0.1:PORT (plain HTTP, loopback only; for remote access use --tls-api-addr) (default: unix:///run/shoal/shoal.sock)")
  List<String> hosts = new ArrayList<>();

  @Option(names = "--pidfile", description = "Write the daemon's pid here")
  Path pidfile;

  @Option(names = "--executor", description = "How tasks run: docker or process (default: ${DEFAULT-VALUE})", defaultValue = "docker")
  String executor;

  @Option(names = "--engine-host", description = "Docker engine to run containers in (default: ${DEFAULT-VALUE})", defaultValue = DockerExecutorConfig.DEFAULT_ENGINE)
  String engineHost;

  @Option(names = "--listen-addr", description = "Cluster management address (default: 0.0.0.0:2377)")
  String listenAddr;

  @Option(names = "--advertise-addr", description = "Address other nodes reach this one at")
  String advertiseAddr;

  @Option(names = "--raft-port", description = "Raft port (default: the listen port + 1)")
  Integer raftPort;

  @Option(names = "--hostname", description = "Node host name (default: this machine's)")
  String hostname;

  @Option(names = "--data-path-addr", description = "Address other nodes' routing mesh reaches this node's tasks at (default: 127.0.0.1, for swarms on one machine)")
  String dataPathAddr;

  @Option(names = "--tls-api-addr", paramLabel = "HOST:PORT",
      description = {"Also serve the API over TCP with mutual TLS here (dockerd's --tlsverify; port 2376 if omitted, :PORT for every interface).",
          "Managers only, from when the node is in a swarm: the server certificate comes from the swarm CA, and clients need one too,",
          "from `shoal swarm client-cert` run on a manager; then: docker --tlsverify -H tcp://HOST:PORT ..."})
  String tlsApiAddr;

  @Option(names = "--metrics-addr", paramLabel = "HOST:PORT",
      description = {"Serve Prometheus metrics at http://HOST:PORT/metrics (dockerd's flag; off unless set).",
          "Loopback addresses serve plain HTTP; any other serves only with mutual TLS once the node is in a swarm",
          "(the node's certificate; scrapers present a client certificate from `shoal swarm client-cert`)."})
  String metricsAddr;

  @Option(names = "--ui-addr", paramLabel = "HOST:PORT",
      description = {"Serve the live, read-only cluster console at http://HOST:PORT/ (managers show the cluster; off unless set).",
          "Same rule as --metrics-addr: plain HTTP on loopback only, mutual TLS elsewhere."})
  String uiAddr;

  private static final long STOP_TIMEOUT_MS = 20_000;

  public static void main(String[] args) {
    System.exit(new CommandLine(new DaemonMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (!executor.equals("docker") && !executor.equals("process")) {
      System.err.println("invalid --executor " + executor + ": docker or process");
      return 2;
    }
    if (tlsApiAddr != null) {
      try {
        TlsApi.Address.parse(tlsApiAddr);
      } catch (IllegalArgumentException e) {
        System.err.println(e.getMessage());
        return 2;
      }
    }
    OpsAddress metrics;
    OpsAddress ui;
    try {
      metrics = metricsAddr == null ? null : OpsAddress.parse("--metrics-addr", metricsAddr);
      ui = uiAddr == null ? null : OpsAddress.parse("--ui-addr", uiAddr);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      return 2;
    }
    DaemonConfig cfg = new DaemonConfig(dataRoot, hosts, pidfile, executor, engineHost, listenAddr, advertiseAddr, raftPort,
        hostname, dataPathAddr, tlsApiAddr);
    Clock clock = Clock.systemUTC();
    SecureRandom random = new SecureRandom();
    Daemon d = new Daemon(cfg, clock, random, executorFactory(cfg), new RenewalSchedule(clock, random)::renewAt,
        node -> new Operations(metrics, ui, node, clock));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      // a clean stop must not hang on a stuck component: give it a bounded time, then go anyway
      Thread closer = new Thread(d::close, "shoal-close");
      closer.setDaemon(true);
      closer.start();
      try {
        closer.join(STOP_TIMEOUT_MS);
      } catch (InterruptedException ignored) {
        Thread.currentThread().interrupt();
      }
      if (closer.isAlive()) System.err.println("shoal daemon: components did not stop within " + STOP_TIMEOUT_MS + " ms; exiting anyway");
      stopped.countDown();
    }, "shoal-shutdown"));
    try {
      d.start();
    } catch (Exception e) {
      System.err.println("shoal daemon: " + e.getMessage());
      d.close();
      return 1;
    }
    stopped.await();
    return 0;
  }

  /** The VXLAN UDP port until the view carries the swarm's data path port. */
  static final int OVERLAY_PORT = 4789;

  static Function<String, Executor> executorFactory(DaemonConfig cfg) {
    return nodeId -> switch (cfg.executor()) {
      case "process" -> ProcessExecutors.create(nodeId, cfg.dataRoot().resolve("agent"));
      default -> {
        DockerExecutor ex = new DockerExecutor(DockerExecutorConfig.of(cfg.engineHost(), nodeId, cfg.dataRoot().resolve("agent"))
            .withIngressBindIp(cfg.dataPathOrLoopback()),
            Clock.systemUTC(), Executors.newCachedThreadPool(r -> {
              Thread t = new Thread(r, "shoal-docker");
              t.setDaemon(true);
              return t;
            }));
        // the node's overlay data path on the same engine; idle until the first network view
        yield ex.withDataPath(new OverlayDataPath(nodeId, cfg.dataPathOrLoopback(), OVERLAY_PORT, ex.engineNetworks(),
            new LinkShell(CommandRunner.local()), Duration.ofSeconds(10)), Duration.ofSeconds(60));
      }
    };
  }
}
