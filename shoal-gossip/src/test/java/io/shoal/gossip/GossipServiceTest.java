package io.shoal.gossip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** T3: three members over real UDP and TCP on loopback. */
class GossipServiceTest {
  private static final Keyring KEYS = Keyring.of(new GossipKey(1, new byte[32]));
  private final List<GossipService> started = new ArrayList<>();

  private GossipService start(String id, Keyring keys) throws Exception {
    GossipService s = GossipService.start(GossipConfig.lan(), id, "127.0.0.1", 0, "127.0.0.1", keys, Clock.systemUTC());
    started.add(s);
    return s;
  }

  @AfterEach
  void stop() {
    started.forEach(GossipService::close);
  }


  private static MemberState state(GossipService viewer, String id) throws Exception {
    MemberInfo m = viewer.member(id).get();
    return m == null ? null : m.state();
  }

  @Test
  void membersJoinSpreadRecordsAndConfirmAStoppedMemberDead() throws Exception {
    GossipService a = start("a", KEYS);
    GossipService b = start("b", KEYS);
    GossipService c = start("c", KEYS);
    b.join(List.of(a.address()));
    c.join(List.of(a.address()));
    await().atMost(Duration.ofSeconds(20)).until(() -> a.members().get().size() == 3 && b.members().get().size() == 3
        && c.members().get().size() == 3);

    EndpointRecord e = new EndpointRecord("web", "t1", "net1", "10.0.1.5", "c", "running");
    c.publish(EndpointRecord.TABLE, e.key(), e.encode());
    await().atMost(Duration.ofSeconds(10)).until(() -> a.records(EndpointRecord.TABLE).get().size() == 1
        && b.records(EndpointRecord.TABLE).get().size() == 1);
    assertThat(EndpointRecord.decode(b.records(EndpointRecord.TABLE).get().get(0).value())).isEqualTo(e);

    c.close();
    await().atMost(Duration.ofSeconds(20)).until(() -> state(a, "c") == MemberState.DEAD && state(b, "c") == MemberState.DEAD);
    assertThat(a.records(EndpointRecord.TABLE).get()).isEmpty();
    assertThat(state(a, "b")).isEqualTo(MemberState.ALIVE);
  }

  @Test
  void strangerWithAnotherKeyCannotJoinAndGarbageIsCounted() throws Exception {
    GossipService a = start("a", KEYS);
    GossipService stranger = start("x", Keyring.of(new GossipKey(1, new byte[] {
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32})));
    stranger.join(List.of(a.address()));
    String[] hp = a.address().split(":");
    InetSocketAddress target = new InetSocketAddress(hp[0], Integer.parseInt(hp[1]));
    try (DatagramSocket udp = new DatagramSocket()) {
      byte[] junk = "not a gossip packet".getBytes(StandardCharsets.UTF_8);
      udp.send(new DatagramPacket(junk, junk.length, target));
      udp.send(new DatagramPacket(new byte[0], 0, target));
    }
    try (Socket tcp = new Socket(target.getAddress(), target.getPort())) {
      tcp.getOutputStream().write(new byte[] {0x7f, 0, 0, 0, 1}); // a length far over the limit
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> a.metrics().droppedTotal() >= 4);
    assertThat(a.metrics().dropped(DropReason.AUTHENTICATION_FAILED)).isPositive();
    assertThat(a.metrics().dropped(DropReason.OVERSIZED)).isPositive();
    assertThat(a.members().get()).extracting(MemberInfo::id).containsExactly("a");
  }

  @Test
  void removedNodeIsDroppedAndConfirmedDead() throws Exception {
    GossipService a = start("a", KEYS);
    GossipService b = start("b", KEYS);
    b.join(List.of(a.address()));
    await().atMost(Duration.ofSeconds(20)).until(() -> a.members().get().size() == 2);
    a.setKeyring(KEYS.withRemoved(Set.of("b")));
    await().atMost(Duration.ofSeconds(10)).until(() -> state(a, "b") == MemberState.DEAD
        && a.metrics().dropped(DropReason.REMOVED_NODE) > 0);
  }
}
