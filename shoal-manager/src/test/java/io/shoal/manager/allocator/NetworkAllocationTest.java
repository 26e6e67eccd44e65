package io.shoal.manager.allocator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.shoal.api.error.ShoalException;
import io.shoal.api.json.Json;
import io.shoal.api.model.Cluster;
import io.shoal.api.model.EndpointSpec;
import io.shoal.api.model.Network;
import io.shoal.api.model.NetworkAttachmentConfig;
import io.shoal.api.model.PortConfig;
import io.shoal.api.model.Service;
import io.shoal.api.model.ServiceSpec;
import io.shoal.api.model.StoreObject;
import io.shoal.api.model.Task;
import io.shoal.api.model.TaskState;
import io.shoal.api.model.TaskStatus;
import io.shoal.api.model.Version;
import io.shoal.api.net.NodeNetworkView;
import io.shoal.manager.Fx;
import io.shoal.manager.controlapi.ControlApi;
import io.shoal.manager.controlapi.ResourceApi;
import io.shoal.manager.netview.NetworkViews;
import io.shoal.manager.orchestrator.TaskFactory;
import io.shoal.store.LocalProposer;
import io.shoal.store.MemoryStore;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * T1: the allocator's decisions over a real store with a local proposer, rounds run by hand: VIPs
 * with the service, task addresses NEW→PENDING, exhaustion, node gateways, freeing, the views.
 */
class NetworkAllocationTest {
  private final Fx.MutableClock clock = new Fx.MutableClock(Fx.T0);
  private final MemoryStore store = new MemoryStore(clock);
  private final ControlApi control;
  private final ResourceApi resources;
  private final Allocator allocator;
  private final TaskFactory tasks = new TaskFactory(new SplittableRandom(3));
  private final Network ingress;

  NetworkAllocationTest() {
    store.setProposer(new LocalProposer(store));
    control = new ControlApi(store, clock, new SplittableRandom(1));
    resources = new ResourceApi(store, clock, new SplittableRandom(2));
    allocator = new Allocator(store, clock);
    Cluster c = new Cluster("c1", Version.ZERO, null, null, Cluster.SwarmSpec.defaults(), null, false, 4789,
        List.of("10.0.0.0/8"), 24, null, null);
    store.update(tx -> {
      tx.create(c);
      tx.create(IngressNetwork.create("ingress-id", c, List.of()));
      tx.create(Fx.node("n1"));
      tx.create(Fx.node("n2"));
    });
    ingress = store.view(tx -> tx.get(StoreObject.Kind.NETWORK, "ingress-id"));
  }

  private Network network(String name, String ipam) {
    JsonNode j = ipam == null ? null : Json.read(ipam.getBytes(), JsonNode.class);
    return resources.createNetwork(new Network.NetworkSpec(name, null, null, null, null, null, j, null, Map.of(), Map.of()));
  }

  private Service service(String name, long replicas, String mode, List<PortConfig> ports, String... networks) {
    ServiceSpec s = Fx.spec(name, replicas);
    List<NetworkAttachmentConfig> nets = java.util.Arrays.stream(networks)
        .map(n -> new NetworkAttachmentConfig(n, List.of(name + "-alias"), null)).toList();
    s = s.withTaskTemplate(s.taskTemplate().withNetworks(nets)).withEndpointSpec(new EndpointSpec(mode, ports));
    return control.createService(s);
  }

  private Task newTask(Service s, long slot) {
    Task t = tasks.newTask(s, slot, null, TaskState.RUNNING, clock.instant());
    store.update(tx -> tx.create(t));
    return t;
  }

  private Task task(String id) {
    return store.view(tx -> tx.task(id));
  }

  private void set(String id, java.util.function.UnaryOperator<Task> change) {
    store.update(tx -> tx.update(change.apply(tx.task(id))));
  }

  @Test
  void ingressExistsWithDockersAddressesAndPublishedServicesGetAVipOnIt() {
    assertThat(ingress.allocation().subnet()).isEqualTo("10.0.0.0/24");
    assertThat(ingress.allocation().vni()).isEqualTo(4096);
    Service web = service("web", 1, null, List.of(new PortConfig(null, "tcp", 80, 8080, null)));
    assertThat(web.endpoint().virtualIPs()).extracting(v -> v.networkID() + " " + v.addr())
        .containsExactly("ingress-id 10.0.0.2/24");
    assertThat(web.endpoint().spec().mode()).isEqualTo("vip");
  }

  @Test
  void vipPerNetworkKeptOnUpdateAndNoneInDnsrrMode() {
    Network front = network("front", null);
    Network back = network("back", "{\"Config\":[{\"Subnet\":\"192.168.50.0/24\"}]}");
    Service api = service("api", 1, null, List.of(), "front", "back");
    assertThat(api.endpoint().virtualIPs()).extracting(v -> v.networkID() + " " + v.addr())
        .containsExactly(front.id() + " 10.0.1.2/24", back.id() + " 192.168.50.2/24");
    Service updated = control.updateService("api", api.version().index(), api.spec().withLabels(Map.of("x", "y")), false);
    assertThat(updated.endpoint().virtualIPs()).isEqualTo(api.endpoint().virtualIPs());
    Service rr = service("rr", 1, "dnsrr", List.of(), "front");
    assertThat(rr.endpoint().virtualIPs()).isNull();
  }

  @Test
  void badInputIsRefusedAndNothingIsStored() {
    network("front", "{\"Config\":[{\"Subnet\":\"10.30.0.0/16\"}]}");
    long before = store.index();
    assertThatThrownBy(() -> network("back", "{\"Config\":[{\"Subnet\":\"10.30.1.0/24\"}]}"))
        .isInstanceOf(ShoalException.InvalidSpec.class).hasMessageContaining("overlaps network front");
    assertThatThrownBy(() -> service("s", 1, null, List.of(), "missing"))
        .isInstanceOf(ShoalException.NotFound.class).hasMessageContaining("network missing not found");
    assertThatThrownBy(() -> service("s", 1, null, List.of(), "ingress"))
        .isInstanceOf(ShoalException.InvalidSpec.class).hasMessageContaining("cannot be explicitly attached to the \"ingress\" network");
    assertThatThrownBy(() -> service("s", 1, "dnsrr", List.of(new PortConfig(null, "tcp", 80, 8080, null))))
        .isInstanceOf(ShoalException.InvalidSpec.class).hasMessageContaining("dnsrr");
    assertThat(store.index()).as("nothing stored").isEqualTo(before);
    Service s = service("user", 1, null, List.of(), "front");
    assertThatThrownBy(() -> resources.removeNetwork("front"))
        .isInstanceOf(ShoalException.InvalidSpec.class).hasMessageContaining("is in use by service " + s.id());
    Service pub = service("pub", 1, null, List.of(new PortConfig(null, "tcp", 80, 8080, null)));
    assertThatThrownBy(() -> resources.removeNetwork("ingress"))
        .isInstanceOf(ShoalException.InvalidSpec.class).hasMessageContaining("is in use by service " + pub.id());
  }

  @Test
  void tasksGetAnAddressOnEveryNetworkThenPendingOrWaitWhenTheNetworkIsFull() {
    Network small = network("small", "{\"Config\":[{\"Subnet\":\"172.28.0.0/29\"}]}"); // .2-.6 usable: 5
    Service s = service("s", 6, null, List.of(new PortConfig(null, "tcp", 80, 8081, null)), "small"); // VIP takes .2
    Set<String> seen = new HashSet<>();
    for (int slot = 1; slot <= 5; slot++) newTask(s, slot);
    allocator.reconcile(List.of(), true);
    List<Task> all = store.view(tx -> tx.tasksOfService(s.id()));
    int pending = 0;
    for (Task t : all) {
      if (t.state() == TaskState.PENDING) {
        pending++;
        assertThat(t.attachmentsOrEmpty()).extracting(a -> a.networkID()).containsExactly(small.id(), ingress.id());
        assertThat(t.attachmentsOrEmpty().get(0).aliases()).containsExactly("s-alias");
        t.attachmentsOrEmpty().forEach(a -> assertThat(seen.add(a.networkID() + a.address())).as("given twice").isTrue());
      } else {
        assertThat(t.state()).isEqualTo(TaskState.NEW);
        assertThat(t.status().message()).isEqualTo("pending: network small exhausted (no free address in 172.28.0.0/29)");
        assertThat(t.attachmentsOrEmpty()).isEmpty();
      }
    }
    assertThat(pending).isEqualTo(4);
    // a task that ends gives its address back; the waiting one gets it on the next round
    Task done = all.stream().filter(t -> t.state() == TaskState.PENDING).findFirst().orElseThrow();
    set(done.id(), t -> t.withStatus(TaskStatus.of(TaskState.FAILED, "failed", clock.instant())));
    allocator.reconcile(List.of(), true);
    assertThat(store.view(tx -> tx.tasksOfService(s.id())).stream().filter(t -> t.state() == TaskState.PENDING)).hasSize(4);
  }

  @Test
  void nodesGetGatewaysAndViewsShowLiveEndpointsOnly() {
    Network front = network("front", null);
    Service web = service("web", 2, null, List.of(), "front");
    Task t1 = newTask(web, 1);
    Task t2 = newTask(web, 2);
    allocator.reconcile(List.of(), true);
    set(t1.id(), t -> t.withNode("n1").withStatus(TaskStatus.of(TaskState.RUNNING, "running", clock.instant())));
    set(t2.id(), t -> t.withNode("n2").withStatus(TaskStatus.of(TaskState.RUNNING, "running", clock.instant())));
    allocator.reconcile(List.of(), true);
    Network f = store.view(tx -> tx.get(StoreObject.Kind.NETWORK, front.id()));
    assertThat(f.allocation().nodeGateways()).containsOnlyKeys("n1", "n2");
    assertThat(store.view(tx -> tx.<Network>get(StoreObject.Kind.NETWORK, "ingress-id")).allocation().nodeGateways())
        .as("every ready node answers the mesh").containsOnlyKeys("n1", "n2");

    NodeNetworkView v1 = store.view(tx -> NetworkViews.forNode(tx, "n1"));
    assertThat(v1.networks()).extracting(n -> n.name()).containsExactly("front", "ingress");
    NodeNetworkView.NetworkInfo fi = v1.networks().get(0);
    assertThat(fi.gateway()).isEqualTo(f.allocation().nodeGateways().get("n1") + "/24");
    assertThat(fi.vni()).isEqualTo(4097);
    assertThat(fi.mtu()).isEqualTo(1450);
    assertThat(v1.endpoints()).extracting(e -> e.taskId()).containsExactlyInAnyOrder(t1.id(), t2.id());
    NodeNetworkView.EndpointInfo e2 = v1.endpoints().stream().filter(e -> e.taskId().equals(t2.id())).findFirst().orElseThrow();
    assertThat(e2.nodeId()).isEqualTo("n2");
    assertThat(e2.aliases()).containsExactly("web-alias");
    assertThat(e2.mac()).startsWith("02:42:0a:00:01:");
    assertThat(v1.peers()).extracting(p -> p.nodeId()).containsExactly("n2");
    assertThat(v1.services()).extracting(s -> s.name() + " " + s.vips().size()).containsExactly("web 1");
    assertThat(v1.dataPathPort()).isEqualTo(4789);

    // marked for shutdown: out of every view at once, before its node stops it
    set(t2.id(), t -> t.withDesiredState(TaskState.SHUTDOWN));
    NodeNetworkView after = store.view(tx -> NetworkViews.forNode(tx, "n1"));
    assertThat(after.endpoints()).extracting(e -> e.taskId()).containsExactly(t1.id());
    assertThat(after.peers()).isEmpty();
    NodeNetworkView n2 = store.view(tx -> NetworkViews.forNode(tx, "n2"));
    assertThat(n2.networks()).extracting(n -> n.name()).containsExactly("ingress");
  }
}
