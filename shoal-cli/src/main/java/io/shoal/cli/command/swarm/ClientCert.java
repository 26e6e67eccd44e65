package io.shoal.cli.command.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import io.shoal.ca.ApiCertificates;
import io.shoal.ca.NodeCertificates;
import io.shoal.ca.Pem;
import io.shoal.cli.Cli;
import io.shoal.cli.CommandFailure;
import io.shoal.cli.UsageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code shoal swarm client-cert}: a client certificate for a manager's TLS API (dockerd's
 * {@code --tlsverify} model), signed by the swarm CA. Where Docker has users make a CA and client
 * certificates with openssl, a swarm already has a CA; this asks it, over the daemon's unix socket
 * (the only place the daemon serves the request), and writes the three files the docker CLI reads
 * from {@code DOCKER_CERT_PATH}: {@code ca.pem}, {@code cert.pem}, {@code key.pem}.
 *
 * <p>The key is made here and never sent: the daemon signs a CSR. Existing files are not replaced
 * without {@code --force}; every check happens before the request, so a refused command changes
 * nothing, and the files are written whole (temporary file, then rename), the key 0600.
 */
@Command(name = "client-cert", mixinStandardHelpOptions = true, sortOptions = true,
    description = {"Get a client certificate for a manager's TLS API (shoal daemon --tls-api-addr), signed by the swarm CA.",
        "Run it on a manager (it uses the daemon's unix socket); it writes ca.pem, cert.pem and key.pem for",
        "docker --tlsverify -H tcp://MANAGER:2376 (or DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=DIR)."})
public final class ClientCert implements Callable<Integer> {
  static final List<String> FILES = List.of("ca.pem", "cert.pem", "key.pem");
  private final Cli cli;

  @Option(names = "--name", paramLabel = "string", description = "Who the certificate is for, its CN (default: $USER)") String name;
  @Option(names = "--expiry", paramLabel = "duration", description = "Validity period (ns|us|ms|s|m|h) (default: the swarm's node certificate expiry, 2160h0m0s)") String expiry;
  @Option(names = {"-o", "--out"}, paramLabel = "dir", description = "Where to write ca.pem, cert.pem and key.pem (default: $DOCKER_CERT_PATH, else ~/.docker)") Path out;
  @Option(names = {"-f", "--force"}, description = "Replace ca.pem, cert.pem and key.pem if they exist") boolean force;

  public ClientCert(Cli cli) {
    this.cli = cli;
  }

  /** The directory the files go to: --out, else $DOCKER_CERT_PATH, else ~/.docker (where docker looks). */
  Path directory() {
    if (out != null) return out;
    String certPath = cli.env().get("DOCKER_CERT_PATH");
    if (certPath != null && !certPath.isEmpty()) return Path.of(certPath);
    String home = cli.env().getOrDefault("HOME", System.getProperty("user.home"));
    return Path.of(home, ".docker");
  }

  String clientName() {
    String n = name != null ? name : cli.env().getOrDefault("USER", "client");
    try {
      ApiCertificates.requireValidName(n);
    } catch (IllegalArgumentException e) {
      throw UsageException.badValue("--name", n, e.getMessage().replaceFirst("^invalid client name \"[^\"]*\": ", ""));
    }
    return n;
  }

  /** Expiry in ns, or null for the swarm's default. */
  Long expiryNanos() {
    if (expiry == null) return null;
    long ns = SwarmCommand.duration("--expiry", expiry);
    if (ns <= 0) throw UsageException.badValue("--expiry", expiry, "must be positive");
    return ns;
  }

  @Override
  public Integer call() {
    String n = clientName();
    Long ns = expiryNanos();
    Path dir = directory();
    if (!force) {
      List<String> present = new ArrayList<>();
      for (String f : FILES) if (Files.exists(dir.resolve(f))) present.add(f);
      if (!present.isEmpty()) {
        throw new CommandFailure(dir + " already holds " + String.join(", ", present)
            + "; use --force to replace them, or --out for another directory");
      }
    }
    SecureRandom random = new SecureRandom();
    KeyPair kp = NodeCertificates.generateKeyPair(random);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("Name", n);
    body.put("CSR", NodeCertificates.createCsr(kp, random));
    if (ns != null) body.put("Expiry", ns);
    JsonNode issued = cli.api().post("/shoal/client-certificates", null, body);
    Map<String, String> files = new LinkedHashMap<>();
    files.put("ca.pem", issued.path("CACertificate").asText());
    files.put("cert.pem", issued.path("Certificate").asText());
    files.put("key.pem", Pem.encodePrivateKey(kp.getPrivate()));
    try {
      write(dir, files);
    } catch (IOException e) {
      throw new CommandFailure("cannot write the certificate files to " + dir + ": " + e.getMessage());
    }
    cli.out().println("Client certificate for \"" + n + "\" (valid until " + issued.path("NotAfter").asText() + ") written to " + dir + ":");
    cli.out().println("  ca.pem (the swarm CA), cert.pem, key.pem");
    cli.out().println("Use it with a manager's TLS API (shoal daemon --tls-api-addr):");
    cli.out().println("  docker --tlsverify --tlscacert " + dir.resolve("ca.pem") + " --tlscert " + dir.resolve("cert.pem")
        + " --tlskey " + dir.resolve("key.pem") + " -H tcp://MANAGER:2376 node ls");
    cli.out().println("  or: export DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=" + dir + " DOCKER_HOST=tcp://MANAGER:2376");
    return 0;
  }

  /** Each file to a temporary one (key 0600, certificates 0644), then renamed into place; the directory 0700 if made here. */
  static void write(Path dir, Map<String, String> files) throws IOException {
    boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    if (!Files.isDirectory(dir)) {
      if (posix) Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      else Files.createDirectories(dir);
    }
    List<Path> temps = new ArrayList<>();
    try {
      for (Map.Entry<String, String> f : files.entrySet()) {
        Path tmp = posix
            ? Files.createTempFile(dir, "." + f.getKey(), ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
            : Files.createTempFile(dir, "." + f.getKey(), ".tmp");
        temps.add(tmp);
        Files.writeString(tmp, f.getValue(), StandardCharsets.US_ASCII);
        if (posix && !f.getKey().equals("key.pem")) Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
      }
      int i = 0;
      for (String f : files.keySet()) {
        Path tmp = temps.get(i++);
        try {
          Files.move(tmp, dir.resolve(f), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } finally {
      for (Path t : temps) Files.deleteIfExists(t);
    }
  }
}
