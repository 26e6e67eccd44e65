package io.shoal.manager.controlapi;

import static io.shoal.manager.Fx.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shoal.api.error.ShoalException;
import io.shoal.api.model.EndpointSpec;
import io.shoal.api.model.Node;
import io.shoal.api.model.PortConfig;
import io.shoal.api.model.Service;
import io.shoal.api.model.ServiceMode;
import io.shoal.api.model.ServiceSpec;
import io.shoal.api.model.StoreObject;
import io.shoal.api.model.Task;
import io.shoal.api.model.TaskState;
import io.shoal.api.model.Version;
import io.shoal.manager.Harness;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ControlApiTest {
  final Harness h = new Harness(61);
  final ControlApi api = h.api;

  static Filters f(String key, String... values) {
    return new Filters(Map.of(key, List.of(values)));
  }

  static Node manager(String id) {
    Node n = node(id);
    return n.withSpec(new Node.NodeSpec(null, Map.of(), "manager", "active"));
  }

  long version(String ref) {
    return api.service(ref, false).version().index();
  }

  @Test
  void createValidatesAndABadRequestChangesNothing() {
    Service web = api.createService(spec("web", 2).withEndpointSpec(new EndpointSpec(null, List.of(new PortConfig(null, null, 80, 8080, null)))));
    assertThat(web.version().index()).isPositive();
    assertThat(web.endpoint().ports()).extracting(PortConfig::published).containsExactly(8080);
    long index = h.store.index();
    assertThatThrownBy(() -> api.createService(spec("bad", 1).withMode(ServiceMode.replicas(-1))))
        .isInstanceOf(ShoalException.InvalidSpec.class).hasMessageContaining("Replicas");
    assertThatThrownBy(() -> api.createService(spec("web", 1)))
        .isInstanceOf(ShoalException.NameConflict.class)
        .hasMessage("name conflicts with an existing object: service web already exists");
    assertThatThrownBy(() -> api.createService(spec("api", 1).withEndpointSpec(new EndpointSpec(null, List.of(new PortConfig(null, null, 80, 8080, null))))))
        .isInstanceOf(ShoalException.InvalidSpec.class).hasMessageContaining("already in use by service 'web'");
    assertThat(h.store.index()).isEqualTo(index);
    assertThat(api.services(Filters.NONE, false)).hasSize(1);
    // no name: Docker picks one
    Service anon = api.createService(new ServiceSpec(null, null, taskSpec("busybox"), null, null, null, null, null));
    assertThat(anon.spec().name()).matches("[a-z]+_[a-z]+");
  }

  @Test
  void updateChecksVersionNameAndMode() {
    Service web = api.createService(spec("web", 2));
    long v = web.version().index();
    Service scaled = api.updateService("web", v, spec("web", 3), false);
    assertThat(scaled.spec().modeOrDefault().replicaCount()).isEqualTo(3);
    assertThat(scaled.previousSpec()).isEqualTo(web.spec());
    assertThat(scaled.updateStatus()).as("scaling is not a rolling update").isNull();
    long index = h.store.index();
    assertThatThrownBy(() -> api.updateService("web", v, spec("web", 5), false))
        .isInstanceOf(ShoalException.SequenceConflict.class).hasMessage("update out of sequence");
    long v2 = version("web");
    assertThatThrownBy(() -> api.updateService("web", v2, spec("web2", 5), false)).isInstanceOf(ShoalException.InvalidSpec.class);
    assertThatThrownBy(() -> api.updateService("web", v2, globalSpec("web"), false))
        .isInstanceOf(ShoalException.InvalidSpec.class).hasMessageContaining("mode change");
    assertThatThrownBy(() -> api.updateService("web", v2, spec("web", -1), false)).isInstanceOf(ShoalException.InvalidSpec.class);
    assertThatThrownBy(() -> api.updateService("nope", v2, spec("nope", 1), false)).isInstanceOf(ShoalException.NotFound.class);
    assertThat(h.store.index()).isEqualTo(index);
    assertThat(api.service("web", false).spec().modeOrDefault().replicaCount()).isEqualTo(3);

    Service imaged = api.updateService("web", v2, spec("web", 3).withTaskTemplate(taskSpec("busybox:2")), false);
    assertThat(imaged.updateStatus().state()).isEqualTo("updating");
    assertThat(imaged.updateStatus().message()).isEqualTo("update in progress");
  }

  @Test
  void rollbackSwapsBackToThePreviousSpec() {
    Service web = api.createService(spec("web", 2));
    assertThatThrownBy(() -> api.updateService("web", web.version().index(), null, true))
        .isInstanceOf(ShoalException.InvalidSpec.class).hasMessageContaining("does not have a previous spec");
    api.updateService("web", version("web"), spec("web", 2).withTaskTemplate(taskSpec("busybox:2")), false);
    Service back = api.updateService("web", version("web"), null, true);
    assertThat(back.spec().taskTemplate().containerSpec().image()).isEqualTo("busybox");
    assertThat(back.previousSpec().taskTemplate().containerSpec().image()).isEqualTo("busybox:2");
    assertThat(back.updateStatus().state()).isEqualTo("rollback_started");
    assertThat(back.updateStatus().message()).isEqualTo("manually requested rollback");
  }

  @Test
  void removeAndNotFound() {
    api.createService(spec("web", 1));
    api.removeService("web");
    assertThatThrownBy(() -> api.service("web", false)).isInstanceOf(ShoalException.NotFound.class).hasMessage("service web not found");
    assertThatThrownBy(() -> api.removeService("web")).isInstanceOf(ShoalException.NotFound.class);
  }

  @Test
  void lookupByIdNameAndUniquePrefix() {
    h.store.update(tx -> {
      tx.create(service("abc111", spec("one", 1)));
      tx.create(service("abc222", spec("two", 1)));
      tx.create(service("xyz333", spec("abc", 1)));
    });
    assertThat(api.service("abc111", false).spec().name()).isEqualTo("one");
    assertThat(api.service("two", false).id()).isEqualTo("abc222");
    assertThat(api.service("abc2", false).id()).isEqualTo("abc222");
    assertThat(api.service("abc", false).id()).as("an exact name wins over id prefixes").isEqualTo("xyz333");
    assertThatThrownBy(() -> api.service("ab", false)).isInstanceOf(ShoalException.InvalidSpec.class)
        .hasMessage("service ab is ambiguous (2 matches found)");
    assertThatThrownBy(() -> api.service("q", false)).isInstanceOf(ShoalException.NotFound.class);
    assertThatThrownBy(() -> api.service("", false)).isInstanceOf(ShoalException.NotFound.class);
  }

  @Test
  void serviceFilters() {
    api.createService(spec("web", 1).withLabels(Map.of("tier", "front")));
    api.createService(spec("webapi", 1).withLabels(Map.of("tier", "back")));
    api.createService(globalSpec("agent"));
    assertThat(names(api.services(f("name", "web"), false))).containsExactly("web", "webapi");
    assertThat(names(api.services(f("label", "tier=back"), false))).containsExactly("webapi");
    assertThat(names(api.services(f("label", "tier"), false))).containsExactly("web", "webapi");
    assertThat(names(api.services(f("mode", "global"), false))).containsExactly("agent");
    assertThat(names(api.services(f("mode", "replicated"), false))).containsExactly("web", "webapi");
    String id = api.service("agent", false).id();
    assertThat(names(api.services(f("id", id.substring(0, 5)), false))).contains("agent");
    assertThatThrownBy(() -> api.services(f("color", "red"), false)).isInstanceOf(ShoalException.InvalidSpec.class)
        .hasMessage("invalid filter 'color'");
  }

  @Test
  void taskFiltersAndStatusCounts() {
    h.nodes(node("n1"), node("n2"));
    api.createService(spec("web", 3));
    api.createService(spec("db", 1));
    h.settle();
    assertThat(api.tasks(f("service", "web"))).hasSize(3);
    assertThat(api.tasks(f("service", "nope"))).isEmpty();
    assertThat(api.tasks(f("node", "host-n1")).stream().map(Task::nodeID).distinct()).containsExactly("n1");
    assertThat(api.tasks(f("node", "n2"))).isNotEmpty().allSatisfy(t -> assertThat(t.nodeID()).isEqualTo("n2"));
    assertThat(api.tasks(f("name", "web.2"))).singleElement().satisfies(t -> assertThat(t.slot()).isEqualTo(2));
    Task one = api.tasks(f("service", "db")).get(0);
    assertThat(api.task(one.id().substring(0, 8)).id()).isEqualTo(one.id());
    h.report(one.id(), TaskState.FAILED);
    h.settle();
    assertThat(api.tasks(new Filters(Map.of("service", List.of("db"), "desired-state", List.of("running"))))).hasSize(1);
    assertThat(api.tasks(new Filters(Map.of("service", List.of("db"), "desired-state", List.of("shutdown")))))
        .singleElement().satisfies(t -> assertThat(t.id()).isEqualTo(one.id()));
    assertThatThrownBy(() -> api.tasks(f("desired-state", "sleeping"))).isInstanceOf(ShoalException.InvalidSpec.class);
    assertThatThrownBy(() -> api.tasks(f("color", "x"))).isInstanceOf(ShoalException.InvalidSpec.class);
    Service.ServiceStatus st = api.service("web", true).serviceStatus();
    assertThat(st.runningTasks()).isEqualTo(3);
    assertThat(st.desiredTasks()).isEqualTo(3);
    assertThat(api.services(Filters.NONE, true)).allSatisfy(s -> assertThat(s.serviceStatus()).isNotNull());
  }

  @Test
  void nodeFiltersAndUpdates() {
    h.nodes(manager("m1"), withLabels(node("w1"), Map.of("zone", "a")), node("w2"));
    assertThat(ids(api.nodes(f("role", "manager")))).containsExactly("m1");
    assertThat(ids(api.nodes(f("role", "worker")))).containsExactlyInAnyOrder("w1", "w2");
    assertThat(ids(api.nodes(f("node.label", "zone=a")))).containsExactly("w1");
    assertThat(ids(api.nodes(f("name", "host-w2")))).containsExactly("w2");
    assertThat(ids(api.nodes(f("membership", "accepted")))).hasSize(3);
    assertThatThrownBy(() -> api.nodes(f("colour", "x"))).isInstanceOf(ShoalException.InvalidSpec.class);

    Node w1 = api.node("host-w1");
    long index = h.store.index();
    assertThatThrownBy(() -> api.updateNode("w1", w1.version().index(), new Node.NodeSpec(null, Map.of(), "worker", "sleep")))
        .isInstanceOf(ShoalException.InvalidSpec.class).hasMessageContaining("availability");
    assertThatThrownBy(() -> api.updateNode("w1", w1.version().index(), new Node.NodeSpec(null, Map.of(), "king", "active")))
        .isInstanceOf(ShoalException.InvalidSpec.class).hasMessageContaining("role");
    assertThatThrownBy(() -> api.updateNode("w1", w1.version().index() - 1, new Node.NodeSpec(null, Map.of(), "worker", "drain")))
        .isInstanceOf(ShoalException.SequenceConflict.class);
    Node m1 = api.node("m1");
    assertThatThrownBy(() -> api.updateNode("m1", m1.version().index(), new Node.NodeSpec(null, Map.of(), "worker", "active")))
        .isInstanceOf(ShoalException.InvalidSpec.class).hasMessage("attempting to demote the last manager of the swarm");
    assertThat(h.store.index()).isEqualTo(index);

    Node drained = api.updateNode("w1", w1.version().index(), new Node.NodeSpec(null, Map.of("zone", "b"), null, "drain"));
    assertThat(drained.spec().availability()).isEqualTo("drain");
    assertThat(drained.spec().role()).as("role kept when not given").isEqualTo("worker");
    Node promoted = api.updateNode("w2", api.node("w2").version().index(), new Node.NodeSpec(null, Map.of(), "manager", "active"));
    assertThat(promoted.spec().role()).isEqualTo("manager");
    // with two managers one may be demoted
    api.updateNode("m1", api.node("m1").version().index(), new Node.NodeSpec(null, Map.of(), "worker", "active"));
    assertThat(ids(api.nodes(f("role", "manager")))).containsExactly("w2");
  }

  @Test
  void aDemotionRaftRefusesChangesNothing() {
    h.nodes(manager("m1"), manager("m2"), node("w1"));
    api.setDemotionCheck(id -> {
      if (id.equals("m2")) throw new ShoalException.InvalidSpec("can't remove member from the raft: this would result in a loss of quorum");
    });
    long index = h.store.index();
    assertThatThrownBy(() -> api.updateNode("m2", api.node("m2").version().index(), new Node.NodeSpec(null, Map.of(), "worker", "active")))
        .isInstanceOf(ShoalException.InvalidSpec.class).hasMessageContaining("loss of quorum");
    assertThat(h.store.index()).isEqualTo(index);
    assertThat(api.node("m2").spec().role()).isEqualTo("manager");
    // other updates of that manager, and promotions, are not raft's business
    api.updateNode("m2", api.node("m2").version().index(), new Node.NodeSpec(null, Map.of(), null, "drain"));
    api.updateNode("w1", api.node("w1").version().index(), new Node.NodeSpec(null, Map.of(), "manager", "active"));
    api.updateNode("m1", api.node("m1").version().index(), new Node.NodeSpec(null, Map.of(), "worker", "active"));
    assertThat(ids(api.nodes(f("role", "manager")))).containsExactlyInAnyOrder("m2", "w1");
  }

  @Test
  void removeNodeRules() {
    h.nodes(manager("m1"), node("w1"), node("w2", Node.DOWN, "active"));
    assertThatThrownBy(() -> api.removeNode("m1", true)).isInstanceOf(ShoalException.InvalidSpec.class);
    assertThatThrownBy(() -> api.removeNode("w1", false)).isInstanceOf(ShoalException.InvalidSpec.class)
        .hasMessageContaining("is not down");
    api.removeNode("w2", false);
    api.removeNode("w1", true);
    assertThat(ids(api.nodes(Filters.NONE))).containsExactly("m1");
  }

  static List<String> names(List<Service> l) {
    return l.stream().map(s -> s.spec().name()).sorted().toList();
  }

  static List<String> ids(List<? extends StoreObject> l) {
    return l.stream().map(StoreObject::id).toList();
  }

  static Version v(long i) {
    return new Version(i);
  }
}
