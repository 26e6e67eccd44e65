package io.shoal.gossip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad input of issue 9: wrong key, truncated, replayed, oversized, from a removed node: dropped and counted. */
class PacketSealerTest {
  private static GossipKey key(long id, int fill) {
    byte[] k = new byte[32];
    Arrays.fill(k, (byte) fill);
    return new GossipKey(id, k);
  }

  private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
  private final GossipMetrics senderMetrics = new GossipMetrics();
  private final GossipMetrics metrics = new GossipMetrics();
  private final PacketSealer alice = new PacketSealer("alice", Keyring.of(key(1, 7)), now::get, senderMetrics);
  private final PacketSealer bob = new PacketSealer("bob", Keyring.of(key(1, 7)), now::get, metrics);

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void roundTripAuthenticatesTheSender() {
    PacketSealer.Opened opened = bob.open(alice.seal(bytes("hello")), GossipConfig.MAX_PACKET);
    assertThat(opened.sender()).isEqualTo("alice");
    assertThat(new String(opened.plaintext(), StandardCharsets.UTF_8)).isEqualTo("hello");
    assertThat(metrics.droppedTotal()).isZero();
  }

  @Test
  void ciphertextDoesNotContainThePlaintext() {
    byte[] packet = alice.seal(bytes("10.0.1.17 web.1.abcdef"));
    assertThat(new String(packet, StandardCharsets.ISO_8859_1)).doesNotContain("10.0.1.17").doesNotContain("web.1");
  }

  @Test
  void wrongKeyIsDropped() {
    PacketSealer mallory = new PacketSealer("mallory", Keyring.of(key(1, 9)), now::get, new GossipMetrics());
    assertThat(bob.open(mallory.seal(bytes("x")), GossipConfig.MAX_PACKET)).isNull();
    assertThat(metrics.dropped(DropReason.AUTHENTICATION_FAILED)).isEqualTo(1);
    PacketSealer stranger = new PacketSealer("stranger", Keyring.of(key(99, 7)), now::get, new GossipMetrics());
    assertThat(bob.open(stranger.seal(bytes("x")), GossipConfig.MAX_PACKET)).isNull();
    assertThat(metrics.dropped(DropReason.UNKNOWN_KEY)).isEqualTo(1);
  }

  @Test
  void senderSpoofingFailsAuthentication() {
    byte[] packet = alice.seal(bytes("x"));
    // rewrite the clear sender "alice" to "bobby": the derived key and the associated data differ
    byte[] forged = packet.clone();
    System.arraycopy(bytes("bobby"), 0, forged, 10, 5);
    assertThat(bob.open(forged, GossipConfig.MAX_PACKET)).isNull();
    assertThat(metrics.dropped(DropReason.AUTHENTICATION_FAILED)).isEqualTo(1);
  }

  @Test
  void everyTruncationIsDropped() {
    byte[] packet = alice.seal(bytes("a message long enough to cut in many places"));
    for (int len = 0; len < packet.length; len++) {
      assertThat(bob.open(Arrays.copyOf(packet, len), GossipConfig.MAX_PACKET)).isNull();
    }
    assertThat(metrics.droppedTotal()).isEqualTo(packet.length);
    assertThat(bob.open(packet, GossipConfig.MAX_PACKET)).isNotNull();
  }

  @Test
  void everyFlippedBitIsDropped() {
    byte[] packet = alice.seal(bytes("flip me"));
    for (int i = 0; i < packet.length * 8; i++) {
      byte[] tampered = packet.clone();
      tampered[i / 8] ^= (byte) (1 << (i % 8));
      assertThat(bob.open(tampered, GossipConfig.MAX_PACKET)).as("bit %d", i).isNull();
    }
  }

  @Test
  void replayIsDroppedAndReorderingWithinTheWindowIsNot() {
    byte[] first = alice.seal(bytes("1"));
    byte[] second = alice.seal(bytes("2"));
    byte[] third = alice.seal(bytes("3"));
    assertThat(bob.open(third, GossipConfig.MAX_PACKET)).isNotNull();
    assertThat(bob.open(first, GossipConfig.MAX_PACKET)).isNotNull();
    assertThat(bob.open(first, GossipConfig.MAX_PACKET)).isNull();
    assertThat(bob.open(third, GossipConfig.MAX_PACKET)).isNull();
    assertThat(bob.open(second, GossipConfig.MAX_PACKET)).isNotNull();
    assertThat(metrics.dropped(DropReason.REPLAYED)).isEqualTo(2);
    byte[] old = first;
    for (int i = 0; i < PacketSealer.WINDOW + 1; i++) bob.open(alice.seal(bytes("n")), GossipConfig.MAX_PACKET);
    assertThat(bob.open(old, GossipConfig.MAX_PACKET)).isNull();
  }

  @Test
  void packetFromLongAgoIsDroppedEvenByAFreshReceiver() {
    byte[] packet = alice.seal(bytes("x"));
    now.addAndGet(PacketSealer.MAX_SKEW_MILLIS + 1);
    PacketSealer restarted = new PacketSealer("bob", Keyring.of(key(1, 7)), now::get, metrics);
    assertThat(restarted.open(packet, GossipConfig.MAX_PACKET)).isNull();
    assertThat(metrics.dropped(DropReason.STALE)).isEqualTo(1);
  }

  @Test
  void oversizedIsDroppedBeforeAnyWork() {
    assertThat(bob.open(new byte[GossipConfig.MAX_PACKET + 1], GossipConfig.MAX_PACKET)).isNull();
    assertThat(metrics.dropped(DropReason.OVERSIZED)).isEqualTo(1);
  }

  @Test
  void removedNodeIsDroppedThoughItStillHoldsTheKey() {
    bob.setKeyring(Keyring.of(key(1, 7)).withRemoved(Set.of("alice")));
    assertThat(bob.open(alice.seal(bytes("x")), GossipConfig.MAX_PACKET)).isNull();
    assertThat(metrics.dropped(DropReason.REMOVED_NODE)).isEqualTo(1);
  }

  @Test
  void rotationSendsWithTheSecondNewestAndAcceptsAll() {
    Keyring three = new Keyring(List.of(key(1, 7), key(2, 8), key(3, 9)), Set.of());
    assertThat(three.primary().id()).isEqualTo(2);
    alice.setKeyring(three);
    // bob has not received key 3 yet and still opens what alice sends
    bob.setKeyring(new Keyring(List.of(key(1, 7), key(2, 8)), Set.of()));
    assertThat(bob.open(alice.seal(bytes("x")), GossipConfig.MAX_PACKET)).isNotNull();
    // once key 1 is retired, a packet under it is refused
    PacketSealer old = new PacketSealer("carol", Keyring.of(key(1, 7)), now::get, new GossipMetrics());
    bob.setKeyring(new Keyring(List.of(key(2, 8), key(3, 9)), Set.of()));
    assertThat(bob.open(old.seal(bytes("x")), GossipConfig.MAX_PACKET)).isNull();
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void randomGarbageNeverThrows(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int i = 0; i < 2_000; i++) {
      byte[] junk = new byte[rnd.nextInt(200)];
      rnd.nextBytes(junk);
      if (junk.length > 0 && rnd.nextBoolean()) junk[0] = PacketSealer.VERSION;
      assertThat(bob.open(junk, GossipConfig.MAX_PACKET)).as("seed %d", seed).isNull();
    }
    assertThat(metrics.droppedTotal()).isEqualTo(2_000);
  }
}
