package io.shoal.daemon.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shoal.api.model.ContainerSpec;
import io.shoal.api.model.Node;
import io.shoal.api.model.Service;
import io.shoal.api.model.ServiceMode;
import io.shoal.api.model.ServiceSpec;
import io.shoal.api.model.TaskSpec;
import io.shoal.api.model.Version;
import io.shoal.manager.controlapi.ControlApi;
import io.shoal.manager.controlapi.Filters;
import io.shoal.store.LocalProposer;
import io.shoal.store.MemoryStore;
import io.shoal.store.StoreEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** T1 for the translator and filter (pure); the feed over a real store with a local proposer. */
class ClusterEventsTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private final Clock clock = Clock.fixed(T0.plusSeconds(100), ZoneOffset.UTC);
  private final MemoryStore store = new MemoryStore(clock);
  private final ControlApi control;
  private final ClusterEvents events;

  ClusterEventsTest() {
    store.setProposer(new LocalProposer(store));
    control = new ControlApi(store, clock, new SplittableRandom(3));
    events = new ClusterEvents(store, clock, 8);
  }

  @AfterEach
  void close() {
    events.close();
  }

  private static ServiceSpec spec(String name, String image, long replicas) {
    return new ServiceSpec(name, Map.of(), TaskSpec.of(ContainerSpec.ofImage(image)), ServiceMode.replicas(replicas),
        null, null, null, null);
  }

  private static Service service(String image, long replicas, Service.UpdateStatus us) {
    return new Service("s1", new Version(1), T0, T0.plusSeconds(5), spec("web", image, replicas), null, null, us, null, null);
  }

  @Test
  void serviceEventsCarryNameTimesAndDockersChangedAttributes() {
    Service a = service("busybox:1", 1, null);
    Event create = EventTranslator.translate(new StoreEvent.Created(a), T0.plusSeconds(99));
    assertThat(create).isEqualTo(Event.swarm("service", "create", "s1", Map.of("name", "web"), T0));
    assertThat(create.time()).isEqualTo(T0.getEpochSecond());
    assertThat(create.timeNano()).isEqualTo(T0.getEpochSecond() * 1_000_000_000L);

    Service b = service("busybox:2", 3, new Service.UpdateStatus("updating", null, null, null));
    Event update = EventTranslator.translate(new StoreEvent.Updated(a, b), T0);
    assertThat(update.action()).isEqualTo("update");
    assertThat(update.instant()).isEqualTo(T0.plusSeconds(5));
    assertThat(update.actor().attributes()).containsExactlyInAnyOrderEntriesOf(Map.of("name", "web",
        "image.old", "busybox:1", "image.new", "busybox:2", "replicas.old", "1", "replicas.new", "3",
        "updatestate.new", "updating"));

    Event remove = EventTranslator.translate(new StoreEvent.Deleted(b), T0.plusSeconds(42));
    assertThat(remove.action()).isEqualTo("remove");
    assertThat(remove.instant()).as("a removal is stamped when seen, as dockerd").isEqualTo(T0.plusSeconds(42));
    assertThat(remove.scope()).isEqualTo("swarm");
  }

  @Test
  void nodeUpdatesNameStateAvailabilityAndLeadershipChanges() {
    Node old = new Node("n1", new Version(1), T0, T0, new Node.NodeSpec(null, Map.of(), "worker", "active"),
        new Node.Description("host-a", null, null, null, null), new Node.Status("ready", null, "10.0.0.1"),
        new Node.ManagerStatus(null, "reachable", "x"));
    Node now = old.withSpec(new Node.NodeSpec(null, Map.of(), "worker", "drain"))
        .withStatus(new Node.Status("down", "heartbeat failure", "10.0.0.1"))
        .withManagerStatus(new Node.ManagerStatus(true, "reachable", "x"));
    Event e = EventTranslator.translate(new StoreEvent.Updated(old, now), T0);
    assertThat(e.type()).isEqualTo("node");
    assertThat(e.actor().attributes()).containsExactlyInAnyOrderEntriesOf(Map.of("name", "host-a",
        "availability.old", "active", "availability.new", "drain", "state.old", "ready", "state.new", "down",
        "leader.old", "false", "leader.new", "true"));
  }

  @Test
  void filtersMatchAsDockerEventsDoes() {
    Event svc = Event.swarm("service", "create", "abc123", Map.of("name", "web"), T0);
    Event node = Event.swarm("node", "update", "n9", Map.of("name", "host-a"), T0);
    assertThat(EventFilter.of(f("type", "service"))).accepts(svc).rejects(node);
    assertThat(EventFilter.of(f("service", "web"))).accepts(svc).rejects(node);
    assertThat(EventFilter.of(f("service", "abc"))).as("id prefix").accepts(svc);
    assertThat(EventFilter.of(f("node", "host-a"))).accepts(node).rejects(svc);
    assertThat(EventFilter.of(f("event", "update"))).accepts(node).rejects(svc);
    assertThat(EventFilter.of(f("scope", "local"))).rejects(svc, node);
    assertThat(EventFilter.of(f("label", "name=web"))).accepts(svc).rejects(node);
    assertThat(EventFilter.of(f("container", "x"))).rejects(svc, node);
    assertThat(EventFilter.of(new Filters(Map.of("type", List.of("service", "node"), "event", List.of("create")))))
        .accepts(svc).rejects(node);
    assertThat(EventFilter.of(Filters.NONE)).accepts(svc, node);
  }

  private static Filters f(String k, String v) {
    return new Filters(Map.of(k, List.of(v)));
  }

  @Test
  void liveEventsFollowTheStoreAndTasksMakeNone() throws Exception {
    try (ClusterEvents.Subscription s = events.subscribe(null, null, EventFilter.of(Filters.NONE))) {
      assertThat(s.replayed()).as("no since/until: nothing replayed").isEmpty();
      Service created = control.createService(spec("web", "busybox", 1));
      Service current = control.service(created.id(), false);
      control.updateService(created.id(), current.version().index(), spec("web", "busybox", 2), false);
      control.removeService(created.id());
      List<String> seen = new ArrayList<>();
      await().atMost(Duration.ofSeconds(10)).until(() -> {
        Event e = s.next(Duration.ofMillis(100));
        if (e != null) seen.add(e.type() + " " + e.action());
        return seen.contains("service remove");
      });
      assertThat(seen).containsExactly("service create", "service update", "service remove");
    }
  }

  @Test
  void sinceReplaysKeptEventsWithinTheWindowAndHistoryIsBounded() {
    for (int i = 0; i < 12; i++) events.publish(Event.swarm("config", "create", "c" + i, Map.of("name", "c" + i), T0.plusSeconds(i)));
    try (var s = events.subscribe(T0.plusSeconds(6), T0.plusSeconds(9), EventFilter.of(Filters.NONE))) {
      assertThat(s.replayed()).extracting(e -> e.actor().id()).containsExactly("c6", "c7", "c8", "c9");
    }
    try (var s = events.subscribe(T0, null, EventFilter.of(Filters.NONE))) {
      assertThat(s.replayed()).as("8 kept").hasSize(8).first().extracting(e -> e.actor().id()).isEqualTo("c4");
    }
  }

  @Test
  void aSlowReaderIsEndedWithoutHoldingUpPublishingOrOtherReaders() throws Exception {
    ClusterEvents.Subscription slow = events.subscribe(null, null, EventFilter.of(Filters.NONE), 4);
    ClusterEvents.Subscription fast = events.subscribe(null, null, EventFilter.of(Filters.NONE), 100);
    for (int i = 0; i < 10; i++) events.publish(Event.swarm("secret", "create", "x" + i, Map.of("name", "x"), T0));
    assertThat(slow.evicted()).isTrue();
    int got = 0;
    while (slow.next(Duration.ofMillis(10)) != null) got++;
    assertThat(got).as("what it had queued (its capacity), then the end").isEqualTo(4);
    assertThat(slow.ended()).isTrue();
    int fastGot = 0;
    while (fast.next(Duration.ofMillis(10)) != null) fastGot++;
    assertThat(fastGot).isEqualTo(10);
    assertThat(events.listeners()).isEqualTo(1);
    fast.close();
    assertThat(events.listeners()).isZero();
  }
}
