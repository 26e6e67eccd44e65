package io.shoal.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateStoreTest {
  @TempDir Path dataRoot;

  private final RootCA ca = RootCA.create(Fixtures.clock(), Fixtures.secureRandom(41));

  @Test
  void emptyStoreHasNothing() {
    CertificateStore store = new CertificateStore(dataRoot);
    assertThat(store.readRootCA()).isEmpty();
    assertThat(store.readNode(ca, Fixtures.NOW)).isEmpty();
  }

  @Test
  void writesSwarmFileNamesAndReadsThemBackAfterRestart() throws IOException {
    NodeCredentials node = Fixtures.issue(ca, NodeRole.MANAGER, "n1");
    CertificateStore store = new CertificateStore(dataRoot);
    store.writeRootCA(ca);
    store.writeNode(node);

    Path dir = dataRoot.resolve("certificates");
    assertThat(dir.resolve("swarm-root-ca.crt")).hasContent(ca.certificatePem().stripTrailing());
    assertThat(Files.readString(dir.resolve("swarm-node.key"))).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(Files.readString(dir.resolve("swarm-node.crt"))).isEqualTo(node.certificatePem());
    assertThat(Files.readString(dir.resolve("swarm-root-ca.crt"))).doesNotContain("PRIVATE KEY");

    CertificateStore reopened = new CertificateStore(dataRoot); // as after a daemon restart
    RootCA loaded = reopened.readRootCA().orElseThrow();
    assertThat(loaded.digestHex()).isEqualTo(ca.digestHex());
    assertThat(loaded.canSign()).isFalse();
    NodeCredentials back = reopened.readNode(loaded, Fixtures.NOW).orElseThrow();
    assertThat(back.certificate()).isEqualTo(node.certificate());
    assertThat(back.identity()).isEqualTo(node.identity());
  }

  @Test
  void filesAre0600AndDirectory0700() throws IOException {
    CertificateStore store = new CertificateStore(dataRoot);
    store.writeRootCA(ca);
    store.writeNode(Fixtures.issue(ca, NodeRole.WORKER, "n2"));
    for (Path p : new Path[] {store.rootCAPath(), store.nodeCertificatePath(), store.nodeKeyPath()}) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p))).as(p.toString())
          .isEqualTo("rw-------");
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.directory())))
        .isEqualTo("rwx------");
    try (Stream<Path> files = Files.list(store.directory())) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .as("no temporary files left behind")
          .containsExactlyInAnyOrder("swarm-root-ca.crt", "swarm-node.crt", "swarm-node.key");
    }
  }

  @Test
  void renewalReplacesFilesKeepingModes() throws IOException {
    CertificateStore store = new CertificateStore(dataRoot);
    store.writeRootCA(ca);
    store.writeNode(Fixtures.issue(ca, NodeRole.WORKER, "n3"));
    // A loose mode set by hand is tightened by the next write.
    Files.setPosixFilePermissions(store.nodeKeyPath(), PosixFilePermissions.fromString("rw-r--r--"));
    NodeCredentials renewed = Fixtures.issue(ca, NodeRole.MANAGER, "n3");
    store.writeNode(renewed);
    assertThat(store.readNode(ca, Fixtures.NOW).orElseThrow().identity().role()).isEqualTo(NodeRole.MANAGER);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.nodeKeyPath())))
        .isEqualTo("rw-------");
  }

  @Test
  void mismatchedOrForeignFilesAreReported() throws IOException {
    CertificateStore store = new CertificateStore(dataRoot);
    store.writeRootCA(ca);
    NodeCredentials a = Fixtures.issue(ca, NodeRole.WORKER, "a");
    NodeCredentials b = Fixtures.issue(ca, NodeRole.WORKER, "b");
    store.writeNode(a);
    // A crash between the key and the certificate rename: new key, old certificate.
    Files.writeString(store.nodeKeyPath(), b.privateKeyPem());
    assertThatThrownBy(() -> store.readNode(ca, Fixtures.NOW))
        .isInstanceOf(CaException.InvalidCertificate.class)
        .hasMessage("private key does not match the certificate");

    RootCA other = RootCA.create(Fixtures.clock(), Fixtures.secureRandom(42));
    store.writeNode(a);
    assertThatThrownBy(() -> store.readNode(other, Fixtures.NOW))
        .isInstanceOf(CaException.InvalidCertificate.class)
        .hasMessageContaining("not issued by this swarm's root CA");
  }

  @Test
  void clearRemovesEverything() {
    CertificateStore store = new CertificateStore(dataRoot);
    store.writeRootCA(ca);
    store.writeNode(Fixtures.issue(ca, NodeRole.WORKER, "n4"));
    store.clear();
    assertThat(store.readRootCA()).isEmpty();
    assertThat(store.readNode(ca, Fixtures.NOW)).isEmpty();
    store.clear(); // idempotent
  }

  @Test
  void unwritableLocationIsAStorageError() throws IOException {
    Path file = Files.writeString(dataRoot.resolve("not-a-dir"), "x");
    CertificateStore store = new CertificateStore(file);
    assertThatThrownBy(() -> store.writeRootCA(ca))
        .isInstanceOf(CaException.Storage.class)
        .hasMessageStartingWith("cannot write " + store.rootCAPath());
  }
}
