package io.shoal.gossip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CodecTest {
  private static final List<Update> UPDATES = List.of(
      new Update.Alive("n1", "10.0.0.1:7946", 3),
      new Update.Suspect("n2", 4, "n1"),
      new Update.Dead("n3", 5, "n1"),
      new Update.RecordChange(new GossipRecord(EndpointRecord.TABLE, "net/t1", "n1", 99, false,
          new EndpointRecord("web", "t1", "net", "10.0.1.5", "n1", "running").encode())));

  @Test
  void everyMessageRoundTrips() throws Exception {
    for (Message m : List.of(new Message.Ping("a", "addr", 1, "b", UPDATES), new Message.Ack("a", 2, UPDATES),
        new Message.PingReq("a", "addr", 3, "b", "baddr", List.of()), new Message.Nack("a", 4, UPDATES),
        new Message.Gossip("a", UPDATES), new Message.PushPull("a", "addr", true, UPDATES))) {
      assertThat(Codec.decode(Codec.encode(m))).isEqualTo(m);
    }
  }

  @Test
  void endpointAndPeerRecordsRoundTripAndRefuseOtherShapes() {
    EndpointRecord e = new EndpointRecord("web", "t1", "net", "10.0.1.5", "n1", "running");
    assertThat(EndpointRecord.decode(e.encode())).isEqualTo(e);
    PeerRecord p = new PeerRecord("net", "n1", "10.0.1.2", "192.168.1.10");
    assertThat(PeerRecord.decode(p.encode())).isEqualTo(p);
    assertThatThrownBy(() -> EndpointRecord.decode("x\ny".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("want 6");
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void truncatedOrCorruptedInputIsRefusedNeverThrowsAnythingElse(long seed) {
    byte[] good = Codec.encode(new Message.Gossip("a", UPDATES));
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int i = 0; i < 3_000; i++) {
      byte[] bad = i % 2 == 0 ? Arrays.copyOf(good, rnd.nextInt(good.length)) : good.clone();
      if (i % 2 == 1) bad[rnd.nextInt(bad.length)] = (byte) rnd.nextInt(256);
      try {
        Codec.decode(bad);
      } catch (Codec.MalformedMessageException expected) {
        // refused: fine
      }
    }
  }

  @Test
  void hugeCountsDoNotAllocate() {
    byte[] good = Codec.encode(new Message.Gossip("a", List.of()));
    byte[] lie = good.clone();
    lie[lie.length - 1] = 0x7f;
    lie[lie.length - 4] = 0x7f;
    assertThatThrownBy(() -> Codec.decode(lie)).isInstanceOf(Codec.MalformedMessageException.class);
  }
}
