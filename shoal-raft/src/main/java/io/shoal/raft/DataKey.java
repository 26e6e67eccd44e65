package io.shoal.raft;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The data-encryption key that seals raft log entries and snapshots at rest (AES-256-GCM, a fresh
 * 96-bit nonce per message, the purpose as associated data so an entry cannot pass for a snapshot).
 *
 * <p><b>Threat model, honestly:</b> the key file ({@value #FILE}, mode 0600) lives in the same
 * data directory as the log it protects. This protects copies of the raft directory taken without
 * the key (a backup, a disk image, a directory copied off the host) and nothing more: anyone who
 * can read the data root as root can read the key. This is Swarm without {@code --autolock}.
 * Autolock (the key wrapped by a user-held unlock key) is future work.
 *
 * <p>The key is cluster-wide, not per node: entries are sealed once by the proposer and replicated
 * as ciphertext, so every manager needs the same key. A joining manager therefore receives it from
 * an existing manager over the mutually authenticated join RPC ({@link #export()} there,
 * {@link #install} on the joiner) before it starts raft. Entries and snapshots written with
 * encryption off (plain JSON) still read back, so the setting can be turned on later.
 *
 * <p>Immutable and thread-safe ({@link Cipher} instances are per call).
 */
public final class DataKey {
  /** File name of the key inside the raft data directory. */
  public static final String FILE = "raft-dek.key";

  private static final byte SEALED = 1;
  private static final int NONCE = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;

  private DataKey(byte[] raw) {
    if (raw.length != 32) throw new IllegalArgumentException("a data key is 32 bytes, got " + raw.length);
    this.key = new SecretKeySpec(raw.clone(), "AES");
  }

  /** Reads the key of {@code dir}, creating a random one (0600) if there is none yet. */
  public static DataKey loadOrCreate(Path dir) throws IOException {
    Path f = dir.resolve(FILE);
    if (Files.exists(f)) return new DataKey(Files.readAllBytes(f));
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    return install(dir, raw);
  }

  /** Reads the key of {@code dir}; fails if there is none. */
  public static DataKey load(Path dir) throws IOException {
    return new DataKey(Files.readAllBytes(dir.resolve(FILE)));
  }

  /** Writes {@code raw} (from another manager's {@link #export()}) as the key of {@code dir}. */
  public static DataKey install(Path dir, byte[] raw) throws IOException {
    DataKey k = new DataKey(raw);
    Files.createDirectories(dir);
    Path tmp = dir.resolve(FILE + ".tmp");
    Files.deleteIfExists(tmp);
    try {
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(tmp);
    } catch (FileAlreadyExistsException e) {
      throw new IOException("concurrent key install in " + dir, e);
    }
    Files.write(tmp, raw);
    Files.move(tmp, dir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return k;
  }

  /** The raw key, to hand to a joining manager over an authenticated channel only. */
  public byte[] export() {
    return key.getEncoded();
  }

  /** Seals {@code plain}: a version byte, the nonce, then ciphertext and tag. */
  public byte[] seal(byte[] plain, String purpose) {
    byte[] nonce = new byte[NONCE];
    RANDOM.nextBytes(nonce);
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      c.updateAAD(purpose.getBytes(StandardCharsets.UTF_8));
      byte[] ct = c.doFinal(plain);
      return ByteBuffer.allocate(1 + NONCE + ct.length).put(SEALED).put(nonce).put(ct).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable", e);
    }
  }

  /**
   * Opens what {@link #seal} made; bytes that are not sealed (plain JSON, written with encryption
   * off) pass through unchanged.
   *
   * @throws IllegalStateException when the bytes were sealed under another key or were altered
   */
  public byte[] open(byte[] data, String purpose) {
    return openWith(this, data, purpose);
  }

  /** Like {@link #open} but {@code key} may be null, which accepts only plain bytes. */
  static byte[] openWith(DataKey key, byte[] data, String purpose) {
    if (data.length == 0 || data[0] != SEALED) return data;
    if (key == null) throw new IllegalStateException("sealed " + purpose + " but this node has no data key");
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, key.key, new GCMParameterSpec(TAG_BITS, Arrays.copyOfRange(data, 1, 1 + NONCE)));
      c.updateAAD(purpose.getBytes(StandardCharsets.UTF_8));
      return c.doFinal(data, 1 + NONCE, data.length - 1 - NONCE);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot open sealed " + purpose + ": wrong data key or corrupted data", e);
    }
  }
}
