package io.shoal.ca;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * A node's certificates under its data root, in Swarm's file names:
 *
 * <pre>
 *   &lt;dataRoot&gt;/certificates/swarm-root-ca.crt   the root CA bundle (no key)
 *   &lt;dataRoot&gt;/certificates/swarm-node.crt      this node's certificate
 *   &lt;dataRoot&gt;/certificates/swarm-node.key      this node's private key
 * </pre>
 *
 * Every file is written to a temporary file created 0600 (so the key is never readable by others,
 * not even for a moment), forced to disk, then renamed over the old one: a crash leaves the old
 * file or the new one, never half of either. The directory is 0700. On file systems without POSIX
 * permissions the modes are skipped.
 *
 * <p>The key is written before the certificate. A crash between the two renames leaves a new key
 * with an old certificate; {@link #readNode} reports that as {@link CaException.InvalidCertificate}
 * and the daemon requests a new certificate, as it would with none.
 *
 * <p>Not synchronised: one writer (the daemon's certificate loop) per data root.
 */
public final class CertificateStore {
  public static final String DIRECTORY = "certificates";
  public static final String ROOT_CA_FILE = "swarm-root-ca.crt";
  public static final String NODE_CERT_FILE = "swarm-node.crt";
  public static final String NODE_KEY_FILE = "swarm-node.key";

  private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");

  private final Path dir;
  private final boolean posix;

  public CertificateStore(Path dataRoot) {
    this.dir = dataRoot.resolve(DIRECTORY);
    this.posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
        && dataRoot.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  public Path directory() {
    return dir;
  }

  public Path rootCAPath() {
    return dir.resolve(ROOT_CA_FILE);
  }

  public Path nodeCertificatePath() {
    return dir.resolve(NODE_CERT_FILE);
  }

  public Path nodeKeyPath() {
    return dir.resolve(NODE_KEY_FILE);
  }

  /** Writes the root CA certificate bundle (never its key). */
  public void writeRootCA(RootCA ca) {
    write(rootCAPath(), ca.certificatePem());
  }

  /** Writes the node key, then the node certificate. */
  public void writeNode(NodeCredentials credentials) {
    write(nodeKeyPath(), credentials.privateKeyPem());
    write(nodeCertificatePath(), credentials.certificatePem());
  }

  /** The stored root CA, or empty if there is none (a node that never joined). */
  public Optional<RootCA> readRootCA() {
    return readString(rootCAPath()).map(RootCA::trustOnly);
  }

  /**
   * The stored node credentials, checked against {@code ca} at {@code now}, or empty if either
   * file is missing. A certificate from another CA, a key that does not match, or an expired
   * certificate is {@link CaException.InvalidCertificate}.
   */
  public Optional<NodeCredentials> readNode(RootCA ca, Instant now) {
    Optional<String> cert = readString(nodeCertificatePath());
    Optional<String> key = readString(nodeKeyPath());
    if (cert.isEmpty() || key.isEmpty()) {
      return Optional.empty();
    }
    NodeCredentials creds = NodeCredentials.fromPem(cert.get(), key.get());
    ca.verify(creds.certificate(), now);
    return Optional.of(creds);
  }

  /** Removes the three files ({@code swarm leave}, or undoing a half-done join). */
  public void clear() {
    try {
      for (Path p : new Path[] {nodeCertificatePath(), nodeKeyPath(), rootCAPath()}) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new CaException.Storage("cannot remove certificates in " + dir + ": " + e.getMessage(), e);
    }
  }

  // ---------------------------------------------------------------------------------------------

  private Optional<String> readString(Path p) {
    try {
      return Optional.of(Files.readString(p, StandardCharsets.US_ASCII));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new CaException.Storage("cannot read " + p + ": " + e.getMessage(), e);
    }
  }

  private void write(Path target, String content) {
    Path tmp = null;
    try {
      ensureDirectory();
      FileAttribute<?>[] attrs =
          posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE_MODE)}
              : new FileAttribute<?>[0];
      tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp", attrs);
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ch.write(java.nio.ByteBuffer.wrap(content.getBytes(StandardCharsets.US_ASCII)));
        ch.force(true);
      }
      if (posix) {
        // createTempFile honours the umask; set the mode explicitly as well.
        Files.setPosixFilePermissions(tmp, FILE_MODE);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      tmp = null;
      syncDirectory();
    } catch (IOException e) {
      throw new CaException.Storage("cannot write " + target + ": " + e.getMessage(), e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // the write already failed; that error is the one to report
        }
      }
    }
  }

  private void ensureDirectory() throws IOException {
    if (!Files.isDirectory(dir)) {
      if (posix) {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIR_MODE));
      } else {
        Files.createDirectories(dir);
      }
    }
    if (posix) {
      Files.setPosixFilePermissions(dir, DIR_MODE);
    }
  }

  private void syncDirectory() {
    // Makes the rename itself durable on Linux; not every platform allows opening a directory.
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException ignored) {
      // best effort
    }
  }
}
