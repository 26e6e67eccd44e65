package io.shoal.gossip;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals and opens every gossip packet and stream with AES-256-GCM.
 *
 * <p>Wire form: {@code [1 version][8 key id][1 n][n sender id][8 seq][8 sent-at millis]} in the
 * clear (authenticated as GCM's associated data), then the ciphertext and 16-byte tag. The AES
 * key is derived per sender, HMAC-SHA256(cluster key, "shoal-gossip " + sender), and the nonce is
 * the sender's sequence number: a sequence never repeats within one sender's process (it starts
 * at the start time in microseconds and counts up), so no nonce is ever reused under one derived
 * key — random 96-bit nonces would not be safe for the ~10^10 packets a large cluster sends
 * between two 12-hour rotations.
 *
 * <p>Replays are refused by a per-sender sliding window over sequence numbers (packets more than
 * {@link #WINDOW} behind the newest, or seen already) and, across a receiver's restart, by the
 * sent-at time (more than {@link #MAX_SKEW_MILLIS} away from the receiver's clock). Not
 * thread-safe: one member's thread seals and opens.
 */
public final class PacketSealer {
  static final byte VERSION = 1;
  static final int WINDOW = 1024;
  static final long MAX_SKEW_MILLIS = 60_000;
  private static final int TAG_BITS = 128;

  private final String self;
  private final byte[] selfBytes;
  private final LongSupplier millis;
  private final GossipMetrics metrics;
  private volatile Keyring keyring;
  private long nextSeq;
  private final Map<String, SecretKeySpec> derived = new HashMap<>();
  private final Map<String, ReplayWindow> windows = new HashMap<>();
  private final Cipher cipher;
  private final Mac mac;

  /** What {@link #open} found: the authenticated sender and the plaintext. */
  public record Opened(String sender, byte[] plaintext) {}

  public PacketSealer(String self, Keyring keyring, LongSupplier millis, GossipMetrics metrics) {
    this.self = self;
    this.selfBytes = self.getBytes(StandardCharsets.UTF_8);
    if (selfBytes.length > 255) throw new IllegalArgumentException("node id longer than 255 bytes");
    this.keyring = keyring;
    this.millis = millis;
    this.metrics = metrics;
    this.nextSeq = millis.getAsLong() * 1000;
    try {
      cipher = Cipher.getInstance("AES/GCM/NoPadding");
      mac = Mac.getInstance("HmacSHA256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM or HMAC-SHA256 missing from this JVM", e);
    }
  }

  /** Swaps the keys (a rotation or a node removal); takes effect for the next packet. */
  public void setKeyring(Keyring keyring) {
    this.keyring = keyring;
  }

  public Keyring keyring() {
    return keyring;
  }

  public byte[] seal(byte[] plaintext) {
    GossipKey key = keyring.primary();
    long seq = nextSeq++;
    ByteBuffer header = ByteBuffer.allocate(1 + 8 + 1 + selfBytes.length + 8 + 8);
    header.put(VERSION).putLong(key.id()).put((byte) selfBytes.length).put(selfBytes).putLong(seq)
        .putLong(millis.getAsLong());
    byte[] aad = header.array();
    try {
      cipher.init(Cipher.ENCRYPT_MODE, derive(key, self), new GCMParameterSpec(TAG_BITS, nonce(seq)));
      cipher.updateAAD(aad);
      byte[] out = new byte[aad.length + cipher.getOutputSize(plaintext.length)];
      System.arraycopy(aad, 0, out, 0, aad.length);
      cipher.doFinal(plaintext, 0, plaintext.length, out, aad.length);
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("sealing failed", e);
    }
  }

  /** Opens a packet, or returns null after counting why it was dropped. */
  public Opened open(byte[] packet, int maxSize) {
    if (packet.length > maxSize) {
      metrics.drop(DropReason.OVERSIZED);
      return null;
    }
    ByteBuffer in = ByteBuffer.wrap(packet);
    if (packet.length < 1 + 8 + 1 || in.get() != VERSION) {
      metrics.drop(DropReason.TRUNCATED);
      return null;
    }
    long keyId = in.getLong();
    int n = in.get() & 0xff;
    int headerLength = 1 + 8 + 1 + n + 8 + 8;
    if (packet.length < headerLength + TAG_BITS / 8) {
      metrics.drop(DropReason.TRUNCATED);
      return null;
    }
    String sender = new String(packet, 10, n, StandardCharsets.UTF_8);
    in.position(10 + n);
    long seq = in.getLong();
    long sentAt = in.getLong();
    Keyring ring = keyring;
    GossipKey key = ring.byId(keyId).orElse(null);
    if (key == null) {
      metrics.drop(DropReason.UNKNOWN_KEY);
      return null;
    }
    if (ring.removedNodes().contains(sender)) {
      metrics.drop(DropReason.REMOVED_NODE);
      return null;
    }
    if (Math.abs(millis.getAsLong() - sentAt) > MAX_SKEW_MILLIS) {
      metrics.drop(DropReason.STALE);
      return null;
    }
    ReplayWindow window = windows.get(sender);
    if (window != null && !window.fresh(seq)) {
      metrics.drop(DropReason.REPLAYED);
      return null;
    }
    byte[] plaintext;
    try {
      cipher.init(Cipher.DECRYPT_MODE, derive(key, sender), new GCMParameterSpec(TAG_BITS, nonce(seq)));
      cipher.updateAAD(packet, 0, headerLength);
      plaintext = cipher.doFinal(packet, headerLength, packet.length - headerLength);
    } catch (AEADBadTagException e) {
      metrics.drop(DropReason.AUTHENTICATION_FAILED);
      return null;
    } catch (GeneralSecurityException e) {
      metrics.drop(DropReason.AUTHENTICATION_FAILED);
      return null;
    }
    // only an authenticated packet moves the window: forged sequence numbers cannot shift it
    windows.computeIfAbsent(sender, s -> new ReplayWindow()).mark(seq);
    return new Opened(sender, plaintext);
  }

  private static byte[] nonce(long seq) {
    return ByteBuffer.allocate(12).putInt(0).putLong(seq).array();
  }

  private SecretKeySpec derive(GossipKey key, String sender) {
    String cacheKey = key.id() + "/" + sender;
    SecretKeySpec spec = derived.get(cacheKey);
    if (spec != null) return spec;
    try {
      mac.init(new SecretKeySpec(key.raw(), "HmacSHA256"));
      byte[] k = mac.doFinal(("shoal-gossip " + sender).getBytes(StandardCharsets.UTF_8));
      spec = new SecretKeySpec(k, "AES");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    if (derived.size() > 100_000) derived.clear(); // bounded: old key ids and forgotten senders go
    derived.put(cacheKey, spec);
    return spec;
  }

  /** Forgets a sender's replay state (it was removed or reaped). */
  public void forget(String sender) {
    windows.remove(sender);
  }

  /** Sequence numbers seen from one sender: the newest and a bitmap of the WINDOW before it. */
  static final class ReplayWindow {
    private long newest = Long.MIN_VALUE;
    private final long[] bits = new long[WINDOW / 64];

    boolean fresh(long seq) {
      if (newest == Long.MIN_VALUE || seq > newest) return true;
      long behind = newest - seq;
      if (behind >= WINDOW) return false;
      int slot = (int) Math.floorMod(seq, (long) WINDOW);
      return (bits[slot >>> 6] & (1L << (slot & 63))) == 0;
    }

    void mark(long seq) {
      if (newest == Long.MIN_VALUE || seq - newest >= WINDOW) {
        java.util.Arrays.fill(bits, 0);
        newest = seq;
      } else if (seq > newest) {
        for (long s = newest + 1; s < seq; s++) clear(s);
        newest = seq;
      }
      int slot = (int) Math.floorMod(seq, (long) WINDOW);
      bits[slot >>> 6] |= 1L << (slot & 63);
    }

    private void clear(long seq) {
      int slot = (int) Math.floorMod(seq, (long) WINDOW);
      bits[slot >>> 6] &= ~(1L << (slot & 63));
    }
  }
}
