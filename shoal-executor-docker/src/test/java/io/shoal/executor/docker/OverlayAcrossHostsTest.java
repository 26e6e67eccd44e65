package io.shoal.executor.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import io.shoal.agent.exec.TaskController;
import io.shoal.agent.exec.TaskDependencies;
import io.shoal.api.model.ContainerSpec;
import io.shoal.api.model.NetworkAttachmentConfig;
import io.shoal.api.model.Task;
import io.shoal.api.model.TaskSpec;
import io.shoal.api.model.TaskState;
import io.shoal.api.net.NodeNetworkView;
import io.shoal.api.net.NodeNetworkView.EndpointInfo;
import io.shoal.api.net.NodeNetworkView.NetworkInfo;
import io.shoal.api.net.NodeNetworkView.PeerInfo;
import io.shoal.network.overlay.CommandRunner;
import io.shoal.network.overlay.LinkShell;
import io.shoal.network.overlay.OverlayDataPath;
import io.shoal.network.overlay.OverlayNames;
import io.shoal.testkit.TaskFixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * T5: two hosts, each a network namespace of its own with its own dockerd, joined by a veth pair
 * (nothing in the root namespace). Each host's {@link OverlayDataPath} gets its side of one view
 * (a network with a task on each host) and the docker executor runs each task on its host's
 * engine through {@link OverlayTaskNetworks}: the containers reach each other across the hosts
 * over VXLAN, with the allocated addresses, MACs and resolver. Then an engine restart and a
 * daemon restart reconcile to the same state with nothing to do, and an empty view removes
 * everything. Aborted (skipped, never passed) where root, namespaces or dockerd are missing.
 */
@Timeout(300)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OverlayAcrossHostsTest {
  static final String NET_ID = "ovtestnet00000001";
  static final String[] ADDR = {"10.78.0.1", "10.78.0.2"};
  static final String[] NODE = {"ova", "ovb"};
  static final String[] GW = {"10.0.9.2/24", "10.0.9.3/24"};
  static final String[] TASK_IP = {"10.0.9.10/24", "10.0.9.11/24"};

  static Path base;
  static String[] ns = new String[2];
  static Process[] dockerd = new Process[2];
  static DockerClient[] docker = new DockerClient[2];
  static OverlayDataPath[] dataPath = new OverlayDataPath[2];
  static DockerExecutor[] executor = new DockerExecutor[2];
  static ExecutorService blocking = Executors.newCachedThreadPool();
  static String skip;

  @BeforeAll
  static void hosts() throws Exception {
    skip = missing();
    if (skip != null) {
      return;
    }
    long pid = ProcessHandle.current().pid();
    base = Files.createDirectories(Path.of("/tmp/shoalov-" + pid));
    for (int i = 0; i < 2; i++) {
      ns[i] = "shoalov-" + pid + "-" + i;
      sh("ip netns add " + ns[i]);
    }
    sh("ip link add ov0 netns " + ns[0] + " type veth peer name ov1 netns " + ns[1]);
    for (int i = 0; i < 2; i++) {
      sh("ip -n " + ns[i] + " addr add " + ADDR[i] + "/24 dev ov" + i);
      sh("ip -n " + ns[i] + " link set ov" + i + " up");
      sh("ip -n " + ns[i] + " link set lo up");
      launchEngine(i);
    }
    for (int i = 0; i < 2; i++) {
      awaitEngine(i);
    }
    Path img = base.resolve("img");
    Files.createDirectories(img.resolve("bin"));
    Files.createDirectories(img.resolve("www"));
    sh("cp \"$(command -v busybox)\" " + img + "/bin/busybox && for a in sh httpd wget cat sleep; do ln -sf busybox "
        + img + "/bin/$a; done");
    for (int i = 0; i < 2; i++) {
      Files.writeString(img.resolve("www/index.html"), "hello from " + NODE[i] + "\n");
      sh("tar -C " + img + " -c . | DOCKER_HOST=" + host(i) + " docker import -c 'ENV PATH=/bin' - shoalov/web:1 >/dev/null");
    }
    for (int i = 0; i < 2; i++) {
      docker[i] = DockerExecutor.client(host(i));
      dataPath[i] = newDataPath(i);
      executor[i] = new DockerExecutor(docker[i], DockerExecutorConfig.of(host(i), NODE[i], base.resolve("agent" + i)),
          Clock.systemUTC(), blocking).withNetworks(new OverlayTaskNetworks(dataPath[i], Duration.ofSeconds(30)));
    }
  }

  static OverlayDataPath newDataPath(int i) {
    return new OverlayDataPath(NODE[i], ADDR[i], 4789, new DockerEngineNetworks(docker[i]),
        new LinkShell(new CommandRunner(List.of("nsenter", "--net=/var/run/netns/" + ns[i]))), Duration.ofMinutes(10));
  }

  static void startEngine(int i) throws IOException {
    launchEngine(i);
    awaitEngine(i);
  }

  static void awaitEngine(int i) {
    Path d = base.resolve("h" + i);
    await("dockerd " + i).atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300))
        .until(() -> io.shoal.testkit.TestEngine.ping(d.resolve("docker.sock")));
  }

  static void launchEngine(int i) throws IOException {
    Path d = Files.createDirectories(base.resolve("h" + i));
    dockerd[i] = new ProcessBuilder("nsenter", "--net=/var/run/netns/" + ns[i], "dockerd", "--host", host(i),
        "--data-root", d + "/data", "--exec-root", d + "/exec", "--pidfile", d + "/docker.pid")
        .redirectErrorStream(true).redirectOutput(d.resolve("dockerd.log").toFile()).start();
  }

  static void stopEngine(int i) throws InterruptedException {
    dockerd[i].destroy(); // nsenter exec'd dockerd: this is dockerd's own PID
    if (!dockerd[i].waitFor(60, TimeUnit.SECONDS)) {
      dockerd[i].destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  static String host(int i) {
    return "unix://" + base.resolve("h" + i).resolve("docker.sock");
  }

  static String missing() {
    if (!"root".equals(System.getProperty("user.name"))) {
      return "needs root (network namespaces, dockerd)";
    }
    for (String tool : List.of("ip", "bridge", "nsenter", "dockerd", "docker", "busybox", "iptables")) {
      try {
        if (new ProcessBuilder("sh", "-c", "command -v " + tool).start().waitFor() != 0) {
          return "needs " + tool;
        }
      } catch (IOException | InterruptedException e) {
        return "cannot look for " + tool + ": " + e;
      }
    }
    return null;
  }

  static String sh(String script) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(script + " failed: " + out);
    }
    return out;
  }

  static String in(int i, String cmd) throws IOException, InterruptedException {
    return sh("nsenter --net=/var/run/netns/" + ns[i] + " " + cmd);
  }

  void needHosts() {
    if (skip != null) {
      System.err.println("SKIPPED: overlay across hosts " + skip + " (T5 test aborted, not passed)");
      Assumptions.abort(skip);
    }
  }

  static NodeNetworkView view(int self, long version, boolean withNetwork) {
    List<NetworkInfo> nets = new ArrayList<>();
    List<EndpointInfo> eps = new ArrayList<>();
    if (withNetwork) {
      nets.add(new NetworkInfo(NET_ID, "ovtest", "10.0.9.0/24", GW[self], 4242, 1450, false, false, false));
      for (int i = 0; i < 2; i++) {
        eps.add(new EndpointInfo(NET_ID, "task" + i, "web." + (i + 1) + ".task" + i, "svc", "web", i + 1, TASK_IP[i],
            OverlayNames.mac(TASK_IP[i]), NODE[i], List.of()));
      }
    }
    return new NodeNetworkView(version, NODE[self], nets, eps, List.of(),
        List.of(new PeerInfo(NODE[0], ADDR[0]), new PeerInfo(NODE[1], ADDR[1])));
  }

  static Task task(int i) {
    ContainerSpec httpd = ContainerSpec.ofImage("shoalov/web:1").withCommand(List.of("httpd", "-f", "-p", "80", "-h", "/www"), null);
    TaskSpec spec = TaskSpec.of(httpd).withNetworks(List.of(new NetworkAttachmentConfig(NET_ID, List.of(), Map.of())));
    return TaskFixtures.task("task" + i, NODE[i], spec, TaskState.RUNNING);
  }

  static void run(int i) throws Exception {
    TaskController c = executor[i].controller(task(i), TaskDependencies.NONE);
    c.prepare().get(60, TimeUnit.SECONDS);
    c.start().get(60, TimeUnit.SECONDS);
  }

  static String container(int i) {
    return io.shoal.agent.exec.TaskNames.containerName(task(i));
  }

  static String fetch(int from, int to) {
    try {
      // busybox-static 1.35 wget crashes with -q/-T here; the host-side timeout bounds it instead
      return sh("DOCKER_HOST=" + host(from) + " timeout 10 docker exec " + container(from) + " wget -O - http://"
          + OverlayNames.plain(TASK_IP[to]) + "/");
    } catch (IOException | InterruptedException e) {
      return e.getMessage();
    }
  }

  @Test
  @Order(1)
  void containersOnTwoHostsReachEachOtherOverTheOverlay() throws Exception {
    needHosts();
    for (int i = 0; i < 2; i++) {
      dataPath[i].onView(view(i, 1, true));
      dataPath[i].reconcileNow();
    }
    for (int i = 0; i < 2; i++) {
      run(i);
    }
    var inspect = docker[0].inspectContainerCmd(container(0)).exec();
    var onNet = inspect.getNetworkSettings().getNetworks().get("ovtest");
    assertThat(onNet.getIpAddress()).isEqualTo("10.0.9.10");
    assertThat(onNet.getMacAddress()).isEqualTo("02:42:0a:00:09:0a");
    // on a user-defined network the engine's embedded resolver (127.0.0.11) serves the container
    // and forwards what it does not know to HostConfig.Dns: this node's gateway, Shoal's resolver
    assertThat(inspect.getHostConfig().getDns()).containsExactly("10.0.9.2");
    await("a -> b").atMost(Duration.ofSeconds(20)).until(() -> fetch(0, 1).contains("hello from ovb"));
    await("b -> a").atMost(Duration.ofSeconds(20)).until(() -> fetch(1, 0).contains("hello from ova"));
    String vx = OverlayNames.vxlan(NET_ID);
    assertThat(in(0, "bridge fdb show dev " + vx)).contains("02:42:0a:00:09:0b dst 10.78.0.2 self permanent");
    assertThat(in(0, "ip neigh show dev " + vx)).contains("10.0.9.11 lladdr 02:42:0a:00:09:0b PERMANENT");
    assertThat(in(0, "ip link show " + OverlayNames.bridge(NET_ID))).contains("02:42:0a:00:09:02");
    assertThat(in(0, "iptables -S DOCKER-USER")).contains("-o " + OverlayNames.bridge(NET_ID));
  }

  @Test
  @Order(2)
  void anEngineRestartIsRepairedWithoutDuplicates() throws Exception {
    needHosts();
    stopEngine(0);
    startEngine(0);
    dataPath[0].reconcileNow();
    assertThat(dataPath[0].pending()).isEmpty();
    run(0); // the task's container, stopped by the engine's shutdown, starts again
    await("a -> b after the engine restart").atMost(Duration.ofSeconds(20)).until(() -> fetch(0, 1).contains("hello from ovb"));
    await("b -> a after the engine restart").atMost(Duration.ofSeconds(20)).until(() -> fetch(1, 0).contains("hello from ova"));
    String vx = OverlayNames.vxlan(NET_ID);
    assertThat(in(0, "bridge fdb show dev " + vx).lines().filter(l -> l.contains("self")).count()).isEqualTo(1);
    assertThat(in(0, "ip -o link show type vxlan").lines().count()).isEqualTo(1);
    assertThat(sh("DOCKER_HOST=" + host(0) + " docker network ls -q --filter label=" + OverlayNames.LABEL_NETWORK)
        .lines().count()).isEqualTo(1);
  }

  @Test
  @Order(3)
  void aRestartedDaemonFindsNothingToDo() throws Exception {
    needHosts();
    dataPath[0].close();
    dataPath[0] = newDataPath(0);
    dataPath[0].onView(view(0, 1, true));
    assertThat(dataPath[0].pending()).isEmpty();
  }

  @Test
  @Order(4)
  void anEmptyViewLeavesNothingBehind() throws Exception {
    needHosts();
    for (int i = 0; i < 2; i++) {
      executor[i].controller(task(i), TaskDependencies.NONE).remove().get(60, TimeUnit.SECONDS);
      dataPath[i].onView(view(i, 2, false));
      dataPath[i].reconcileNow();
      assertThat(in(i, "ip -o link show").lines().filter(l -> l.contains("shb-") || l.contains("shv-"))).isEmpty();
      assertThat(in(i, "iptables -S DOCKER-USER")).doesNotContain("shb-");
      assertThat(sh("DOCKER_HOST=" + host(i) + " docker network ls -q --filter label=" + OverlayNames.LABEL_NETWORK))
          .isBlank();
    }
  }

  @AfterAll
  static void cleanup() throws Exception {
    if (base == null || Boolean.getBoolean("shoalov.keep")) {
      return;
    }
    for (int i = 0; i < 2; i++) {
      if (dataPath[i] != null) {
        dataPath[i].close();
      }
      if (docker[i] != null) {
        docker[i].close();
      }
      if (dockerd[i] != null) {
        stopEngine(i);
      }
    }
    for (String n : ns) {
      if (n != null) {
        sh("ip netns del " + n + " || true");
      }
    }
    sh("grep -o ' " + base + "[^ ]*' /proc/mounts | sort -r | xargs -r -n1 umount -l || true; rm -rf " + base);
    blocking.shutdownNow();
  }
}
