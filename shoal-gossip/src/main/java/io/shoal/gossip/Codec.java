package io.shoal.gossip;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary form of {@link Message}s (before sealing). Compact on purpose: a datagram carries
 * as many piggybacked updates as fit in {@link GossipConfig#packetBudget()}, so updates are
 * encoded once ({@link #encodeUpdate}) and their sizes budgeted before a packet is assembled.
 *
 * <p>{@link #decode} reads untrusted-length input defensively and throws
 * {@link MalformedMessageException} for anything it cannot read fully; it never allocates more
 * than the input's size.
 */
public final class Codec {
  private static final byte PING = 1, ACK = 2, PING_REQ = 3, NACK = 4, GOSSIP = 5, PUSH_PULL = 6;
  private static final byte ALIVE = 1, SUSPECT = 2, DEAD = 3, RECORD = 4;

  private Codec() {}

  /** Thrown for bytes that do not decode to a message. */
  public static final class MalformedMessageException extends Exception {
    public MalformedMessageException(String message) {
      super(message);
    }
  }

  public static byte[] encodeUpdate(Update u) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      if (u instanceof Update.Alive a) {
        out.writeByte(ALIVE);
        out.writeUTF(a.id());
        out.writeUTF(a.address());
        out.writeLong(a.incarnation());
      } else if (u instanceof Update.Suspect s) {
        out.writeByte(SUSPECT);
        out.writeUTF(s.id());
        out.writeLong(s.incarnation());
        out.writeUTF(s.from());
      } else if (u instanceof Update.Dead d) {
        out.writeByte(DEAD);
        out.writeUTF(d.id());
        out.writeLong(d.incarnation());
        out.writeUTF(d.from());
      } else {
        GossipRecord r = ((Update.RecordChange) u).record();
        out.writeByte(RECORD);
        out.writeUTF(r.table());
        out.writeUTF(r.key());
        out.writeUTF(r.owner());
        out.writeLong(r.version());
        out.writeBoolean(r.deleted());
        out.writeInt(r.value().length);
        out.write(r.value());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Encodes {@code m}; its updates are written from {@code encodedUpdates} (same order). */
  public static byte[] encode(Message m, List<byte[]> encodedUpdates) {
    int size = 64;
    for (byte[] u : encodedUpdates) size += u.length;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(size);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      if (m instanceof Message.Ping p) {
        out.writeByte(PING);
        out.writeUTF(p.from());
        out.writeUTF(p.replyTo());
        out.writeLong(p.seq());
        out.writeUTF(p.target());
      } else if (m instanceof Message.Ack a) {
        out.writeByte(ACK);
        out.writeUTF(a.from());
        out.writeLong(a.seq());
      } else if (m instanceof Message.PingReq r) {
        out.writeByte(PING_REQ);
        out.writeUTF(r.from());
        out.writeUTF(r.replyTo());
        out.writeLong(r.seq());
        out.writeUTF(r.target());
        out.writeUTF(r.targetAddress());
      } else if (m instanceof Message.Nack n) {
        out.writeByte(NACK);
        out.writeUTF(n.from());
        out.writeLong(n.seq());
      } else if (m instanceof Message.Gossip g) {
        out.writeByte(GOSSIP);
        out.writeUTF(g.from());
      } else {
        Message.PushPull pp = (Message.PushPull) m;
        out.writeByte(PUSH_PULL);
        out.writeUTF(pp.from());
        out.writeUTF(pp.replyTo());
        out.writeBoolean(pp.reply());
      }
      out.writeInt(encodedUpdates.size());
      for (byte[] u : encodedUpdates) out.write(u);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  public static byte[] encode(Message m) {
    List<byte[]> updates = new ArrayList<>(m.updates().size());
    for (Update u : m.updates()) updates.add(encodeUpdate(u));
    return encode(m, updates);
  }

  public static Message decode(byte[] data) throws MalformedMessageException {
    try {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
      byte type = in.readByte();
      String from = in.readUTF();
      Message m;
      switch (type) {
        case PING -> {
          String replyTo = in.readUTF();
          long seq = in.readLong();
          m = new Message.Ping(from, replyTo, seq, in.readUTF(), readUpdates(in, data.length));
        }
        case ACK -> m = new Message.Ack(from, in.readLong(), readUpdates(in, data.length));
        case PING_REQ -> {
          String replyTo = in.readUTF();
          long seq = in.readLong();
          String target = in.readUTF();
          m = new Message.PingReq(from, replyTo, seq, target, in.readUTF(), readUpdates(in, data.length));
        }
        case NACK -> m = new Message.Nack(from, in.readLong(), readUpdates(in, data.length));
        case GOSSIP -> m = new Message.Gossip(from, readUpdates(in, data.length));
        case PUSH_PULL -> {
          String replyTo = in.readUTF();
          boolean reply = in.readBoolean();
          m = new Message.PushPull(from, replyTo, reply, readUpdates(in, data.length));
        }
        default -> throw new MalformedMessageException("unknown message type " + type);
      }
      if (in.available() != 0) throw new MalformedMessageException(in.available() + " trailing bytes");
      return m;
    } catch (IOException | IllegalArgumentException e) {
      throw new MalformedMessageException("cannot decode message: " + e);
    }
  }

  private static List<Update> readUpdates(DataInputStream in, int limit) throws IOException, MalformedMessageException {
    int n = in.readInt();
    // every update takes at least 3 bytes: a count beyond that is a lie, not a reason to allocate
    if (n < 0 || n > limit / 3) throw new MalformedMessageException("bad update count " + n);
    List<Update> updates = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      byte kind = in.readByte();
      switch (kind) {
        case ALIVE -> updates.add(new Update.Alive(in.readUTF(), in.readUTF(), in.readLong()));
        case SUSPECT -> updates.add(new Update.Suspect(in.readUTF(), in.readLong(), in.readUTF()));
        case DEAD -> updates.add(new Update.Dead(in.readUTF(), in.readLong(), in.readUTF()));
        case RECORD -> {
          String table = in.readUTF();
          String key = in.readUTF();
          String owner = in.readUTF();
          long version = in.readLong();
          boolean deleted = in.readBoolean();
          int len = in.readInt();
          if (len < 0 || len > in.available()) throw new MalformedMessageException("bad value length " + len);
          byte[] value = new byte[len];
          in.readFully(value);
          updates.add(new Update.RecordChange(new GossipRecord(table, key, owner, version, deleted, value)));
        }
        default -> throw new MalformedMessageException("unknown update kind " + kind);
      }
    }
    return updates;
  }
}
