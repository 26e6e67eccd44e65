package io.shoal.manager.controlapi;

import com.fasterxml.jackson.databind.JsonNode;
import io.shoal.api.error.ShoalException;
import io.shoal.api.model.Cluster;
import io.shoal.api.model.Config;
import io.shoal.api.model.ConfigReference;
import io.shoal.api.model.Ids;
import io.shoal.api.model.Network;
import io.shoal.api.model.NetworkAllocation;
import io.shoal.api.model.NetworkAttachmentConfig;
import io.shoal.api.model.Secret;
import io.shoal.api.model.SecretReference;
import io.shoal.api.model.Service;
import io.shoal.api.model.StoreObject;
import io.shoal.api.model.Task;
import io.shoal.api.model.TaskState;
import io.shoal.api.model.Version;
import io.shoal.manager.ipam.NetworkIpam;
import io.shoal.store.MemoryStore;
import io.shoal.store.ReadTx;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Networks, secrets and configs as Docker's API serves them: create, list with Docker's filters,
 * inspect, update (labels only, as Swarm allows) and remove. Validation happens before the store
 * transaction, and every check that depends on other objects (names taken, services using the
 * object) happens inside it, so a rejected request writes nothing.
 *
 * <p>Messages are Docker's, including the {@code rpc error: code = ... desc = ...} prefix where
 * Docker's daemon passes a SwarmKit error through, so scripts matching Docker's text still work.
 *
 * <p>Secret data is stored (base64, in raft) but never returned: {@link #secret} and
 * {@link #secrets} give {@link Secret#forApi()} copies. Config data is returned, as in Docker.
 *
 * <pre>{@code
 * ResourceApi api = new ResourceApi(store, clock, random);
 * Network n = api.createNetwork(new Network.NetworkSpec("shop_default", null, null, null, null,
 *     null, null, null, Map.of(), Map.of("com.docker.stack.namespace", "shop")));
 * api.networks(new Filters(Map.of("label", List.of("com.docker.stack.namespace=shop"))));
 * }</pre>
 *
 * <p>Thread-safe: every method is one store transaction.
 */
public final class ResourceApi {
  /** SwarmKit's MaxSecretSize: data must be shorter than this many bytes. */
  public static final int MAX_SECRET_SIZE = 500 * 1024;
  /** SwarmKit's MaxConfigSize. */
  public static final int MAX_CONFIG_SIZE = 1000 * 1024;
  public static final String DEFAULT_DRIVER = "overlay";
  public static final String STACK_LABEL = "com.docker.stack.namespace";

  private static final String INTERNAL_LABEL = "com.docker.swarm.internal";
  private static final Pattern SECRET_NAME = Pattern.compile("^[a-zA-Z0-9]+(?:[a-zA-Z0-9-_.]*[a-zA-Z0-9])?$");
  private static final Pattern DNS_NAME = Pattern.compile("^[a-zA-Z0-9](?:[-_]*[A-Za-z0-9]+)*$");
  private static final Set<String> PREDEFINED = Set.of("bridge", "host", "none", "default");
  private static final Set<String> LOCAL_DRIVERS = Set.of("bridge", "host", "null", "none", "macvlan", "ipvlan");

  private final MemoryStore store;
  private final Clock clock;
  private final RandomGenerator random;

  public ResourceApi(MemoryStore store, Clock clock, RandomGenerator random) {
    this.store = store;
    this.clock = clock;
    this.random = random;
  }

  // ---- networks ----

  /** Creates a swarm-scoped network; the driver defaults to overlay. */
  public Network createNetwork(Network.NetworkSpec spec) {
    if (spec == null) throw invalid("InvalidArgument", "invalid argument");
    String name = spec.name() == null ? "" : spec.name();
    if (PREDEFINED.contains(name)) {
      throw new ShoalException.Forbidden(name + " is a pre-defined network and cannot be created");
    }
    validateNetworkName(name);
    String driver = spec.driver() == null || spec.driver().isEmpty() ? DEFAULT_DRIVER : spec.driver();
    if (LOCAL_DRIVERS.contains(driver)) {
      throw new ShoalException.InvalidSpec("network driver \"" + driver + "\" is not supported: Shoal serves swarm-scoped"
          + " networks only; use the overlay driver");
    }
    if (!driver.equals(DEFAULT_DRIVER)) throw new ShoalException.NotFound("plugin \"" + driver + "\" not found");
    if (spec.scope() != null && !spec.scope().isEmpty() && !spec.scope().equals("swarm")) {
      throw new ShoalException.InvalidSpec("network scope \"" + spec.scope() + "\" is not supported: Shoal serves"
          + " swarm-scoped networks only");
    }
    if (Boolean.TRUE.equals(spec.configOnly()) || hasText(spec.configFrom(), "Network")) {
      throw new ShoalException.InvalidSpec("config-only networks (--config-only, --config-from) are not supported");
    }
    if (spec.labels().containsKey(INTERNAL_LABEL)) {
      throw new ShoalException.Forbidden(rpc("PermissionDenied", "label " + INTERNAL_LABEL
          + " is for predefined internal networks and cannot be applied by users"));
    }
    JsonNode ipam = validateIpam(spec.ipam());
    Network.NetworkSpec stored = new Network.NetworkSpec(name, driver, "swarm", spec.internal(), spec.attachable(),
        spec.ingress(), ipam, spec.enableIPv6(), spec.options(), spec.labels(), spec.enableIPv4(), null, null, null);
    String id = Ids.newId(random);
    return store.updateAndGet(tx -> {
      if (tx.byName(StoreObject.Kind.NETWORK, name) != null) {
        throw new ShoalException.NameConflict("network with name " + name + " already exists");
      }
      Cluster c = tx.cluster();
      NetworkAllocation allocation = NetworkIpam.allocate(name, ipam, spec.options(),
          c == null ? null : c.defaultAddrPool(), c == null || c.subnetSize() == null ? NetworkIpam.DEFAULT_SUBNET_SIZE : c.subnetSize(),
          tx.networks());
      if (Boolean.TRUE.equals(spec.ingress())) {
        for (Network n : tx.networks()) {
          if (Boolean.TRUE.equals(n.spec().ingress())) {
            throw new ShoalException.NameConflict(rpc("AlreadyExists", "ingress network (" + n.id() + ") is already present"));
          }
        }
      }
      Network n = new Network(id, Version.ZERO, null, null, stored, allocation);
      tx.create(n);
      return n;
    });
  }

  public Network network(String ref) {
    return store.view(tx -> Lookup.find(tx, StoreObject.Kind.NETWORK, ref));
  }

  /** Docker's network filters: id, name (regular expressions, as Docker), label, driver, scope, type, dangling. */
  public List<Network> networks(Filters f) {
    f.allowOnly("id", "name", "label", "driver", "scope", "type", "dangling");
    for (String t : f.get("type")) {
      if (!t.equals("custom") && !t.equals("builtin")) throw new ShoalException.InvalidSpec("invalid filter: 'type'='" + t + "'");
    }
    Boolean dangling = null;
    for (String d : f.get("dangling")) {
      if (d.equals("true") || d.equals("1")) dangling = true;
      else if (d.equals("false") || d.equals("0")) dangling = false;
      else throw new ShoalException.InvalidSpec("invalid filter 'dangling=" + d + "'");
    }
    Boolean wantDangling = dangling;
    return store.view(tx -> {
      List<Network> out = new ArrayList<>();
      for (Network n : tx.networks()) {
        if (!f.any("id", v -> dockerMatch(v, n.id())) || !f.any("name", v -> dockerMatch(v, n.spec().name()))) continue;
        if (!f.labels("label", n.spec().labels())) continue;
        if (!f.any("driver", n.spec().driver()::equals) || !f.any("scope", "swarm"::equals)) continue;
        if (!f.any("type", "custom"::equals)) continue; // every network here is user-defined
        if (wantDangling != null && wantDangling != usersOf(tx, n.id()).isEmpty()) continue;
        out.add(n);
      }
      out.sort(Comparator.comparing(Network::createdAt, Comparator.nullsFirst(Comparator.naturalOrder()))
          .thenComparing(n -> n.spec().name()));
      return out;
    });
  }

  /**
   * Removes a network no service uses. Tasks of services that are already gone do not hold it:
   * {@code docker stack rm} removes the services and then, at once, the networks, and their tasks
   * are on their way out (there is no container network to detach from yet).
   */
  public void removeNetwork(String ref) {
    store.update(tx -> {
      Network n = Lookup.find(tx, StoreObject.Kind.NETWORK, ref);
      if (n.spec().labels().containsKey(INTERNAL_LABEL)) {
        throw new ShoalException.Forbidden(rpc("PermissionDenied", n.spec().name() + " (" + n.id()
            + ") is a pre-defined network and cannot be removed"));
      }
      List<Service> users = usersOf(tx, n.id());
      if (!users.isEmpty()) {
        throw new ShoalException.InvalidSpec(rpc("FailedPrecondition", "network " + n.id() + " is in use by service "
            + users.get(0).id()));
      }
      for (Task t : tx.tasks()) {
        if (t.serviceID() == null || tx.service(t.serviceID()) == null || !taskUses(t, n.id())) continue;
        if (t.desiredState().compareTo(TaskState.RUNNING) <= 0 && t.state().compareTo(TaskState.RUNNING) <= 0) {
          throw new ShoalException.InvalidSpec(rpc("FailedPrecondition", "network " + n.id() + " is in use by task " + t.id()));
        }
      }
      tx.delete(StoreObject.Kind.NETWORK, n.id());
    });
  }

  /** Services attached to the network, explicitly or (ingress) through an ingress-published port. */
  private static List<Service> usersOf(ReadTx tx, String networkId) {
    List<Service> out = new ArrayList<>();
    for (Service s : tx.services()) {
      if (attached(s.spec().networks(), networkId) || attached(s.spec().taskTemplate().networks(), networkId)) {
        out.add(s);
      } else if (s.endpoint() != null && s.endpoint().virtualIPs() != null
          && s.endpoint().virtualIPs().stream().anyMatch(v -> networkId.equals(v.networkID()))) {
        out.add(s);
      } else if (isIngress(tx, networkId) && s.endpoint() != null && s.endpoint().portsOrEmpty().stream()
          .anyMatch(p -> io.shoal.api.model.PortConfig.INGRESS.equals(p.publishModeOrDefault()))) {
        out.add(s);
      }
    }
    return out;
  }

  private static boolean isIngress(ReadTx tx, String networkId) {
    Network n = tx.get(StoreObject.Kind.NETWORK, networkId);
    return n != null && n.ingress();
  }

  private static boolean taskUses(Task t, String networkId) {
    return (t.spec() != null && attached(t.spec().networks(), networkId))
        || t.attachmentsOrEmpty().stream().anyMatch(a -> networkId.equals(a.networkID()));
  }

  private static boolean attached(List<NetworkAttachmentConfig> nets, String networkId) {
    if (nets == null) return false;
    for (NetworkAttachmentConfig a : nets) if (networkId.equals(a.target())) return true;
    return false;
  }

  private static void validateNetworkName(String name) {
    if (name.isEmpty()) throw invalid("InvalidArgument", "meta: name must be provided");
    if (!DNS_NAME.matcher(name).matches()) throw invalid("InvalidArgument", "name must be valid as a DNS name component");
    if (name.length() > 63) throw invalid("InvalidArgument", "name must be 63 characters or fewer");
  }

  /** SwarmKit's IPAM checks: default driver only, each subnet a CIDR that holds its range and gateway. */
  private static JsonNode validateIpam(JsonNode ipam) {
    if (ipam == null || ipam.isNull()) return null;
    if (!ipam.isObject()) throw new ShoalException.InvalidSpec("invalid JSON: IPAM must be an object");
    String driver = text(ipam, "Driver");
    if (!driver.isEmpty() && !driver.equals("default")) throw new ShoalException.NotFound("plugin \"" + driver + "\" not found");
    JsonNode configs = field(ipam, "Config");
    if (configs != null && !configs.isNull()) {
      if (!configs.isArray()) throw new ShoalException.InvalidSpec("invalid JSON: IPAM.Config must be an array");
      for (JsonNode c : configs) {
        String subnet = text(c, "Subnet");
        Cidr net = Cidr.parse(subnet);
        if (net == null) throw invalid("InvalidArgument", "ipam configuration: invalid subnet " + subnet);
        String range = text(c, "IPRange");
        if (!range.isEmpty()) {
          Cidr r = Cidr.parse(range);
          if (r == null) throw invalid("InvalidArgument", "ipam configuration: invalid range " + range);
          if (!net.contains(r.address)) {
            throw invalid("InvalidArgument", "ipam configuration: subnet " + subnet + " does not contain range " + range);
          }
        }
        String gateway = text(c, "Gateway");
        if (!gateway.isEmpty()) {
          byte[] gw = Cidr.literal(gateway);
          if (gw == null) throw invalid("InvalidArgument", "ipam configuration: invalid gateway " + gateway);
          if (!net.contains(gw)) {
            throw invalid("InvalidArgument", "ipam configuration: subnet " + subnet + " does not contain gateway " + gateway);
          }
        }
      }
    }
    return ipam;
  }

  // ---- secrets ----

  /** Creates a secret; returns it without its data. */
  public Secret createSecret(Secret.Spec spec) {
    Secret.Spec s = validateData(spec, "secret", MAX_SECRET_SIZE);
    if (s.driver() != null && !s.driver().isNull()) {
      throw new ShoalException.InvalidSpec("secret drivers are not supported: give the secret's data");
    }
    String id = Ids.newId(random);
    return store.updateAndGet(tx -> {
      if (tx.byName(StoreObject.Kind.SECRET, s.name()) != null) {
        throw new ShoalException.NameConflict(rpc("AlreadyExists", "secret " + s.name() + " already exists"));
      }
      Secret created = new Secret(id, Version.ZERO, null, null, s);
      tx.create(created);
      return created.forApi();
    });
  }

  public Secret secret(String ref) {
    return store.view(tx -> Lookup.<Secret>find(tx, StoreObject.Kind.SECRET, ref).forApi());
  }

  /** Docker's secret filters: id (prefix), name (prefix), names (exact), label. */
  public List<Secret> secrets(Filters f) {
    return store.view(tx -> listed(tx.secrets(), f, Secret::id, s -> s.spec())).stream().map(Secret::forApi).toList();
  }

  /** As Swarm: only labels may change; the name must stay and data, if sent, must be the same. */
  public Secret updateSecret(String ref, long version, Secret.Spec spec) {
    if (spec == null) throw invalid("InvalidArgument", "invalid argument");
    byte[] sent = spec.data() == null ? null : decode(spec.data());
    String id = store.updateAndGet(tx -> {
      Secret cur = Lookup.find(tx, StoreObject.Kind.SECRET, ref);
      checkLabelsOnly(cur.spec(), spec, sent);
      if (cur.version().index() != version) throw new ShoalException.SequenceConflict("update out of sequence");
      tx.update(new Secret(cur.id(), cur.version(), cur.createdAt(), cur.updatedAt(), relabelled(cur.spec(), spec)));
      return cur.id();
    });
    return secret(id); // as committed, with its new version
  }

  public void removeSecret(String ref) {
    store.update(tx -> {
      Secret s = Lookup.find(tx, StoreObject.Kind.SECRET, ref);
      List<String> users = new ArrayList<>();
      for (Service svc : tx.services()) {
        List<SecretReference> refs = svc.spec().taskTemplate().containerSpec().secrets();
        if (refs != null && refs.stream().anyMatch(r -> s.id().equals(r.secretID()))) users.add(svc.spec().name());
      }
      if (!users.isEmpty()) throw inUse("secret", s.spec().name(), users);
      tx.delete(StoreObject.Kind.SECRET, s.id());
    });
  }

  // ---- configs ----

  /** Creates a config; its data is kept and served back. */
  public Config createConfig(Secret.Spec spec) {
    Secret.Spec s = validateData(spec, "config", MAX_CONFIG_SIZE);
    if (s.driver() != null && !s.driver().isNull()) throw new ShoalException.InvalidSpec("json: unknown field \"Driver\"");
    String id = Ids.newId(random);
    return store.updateAndGet(tx -> {
      if (tx.byName(StoreObject.Kind.CONFIG, s.name()) != null) {
        throw new ShoalException.NameConflict(rpc("AlreadyExists", "config " + s.name() + " already exists"));
      }
      Config created = new Config(id, Version.ZERO, null, null, s);
      tx.create(created);
      return created;
    });
  }

  public Config config(String ref) {
    return store.view(tx -> Lookup.find(tx, StoreObject.Kind.CONFIG, ref));
  }

  /** Same filters as secrets. */
  public List<Config> configs(Filters f) {
    return store.view(tx -> listed(tx.configs(), f, Config::id, Config::spec));
  }

  public Config updateConfig(String ref, long version, Secret.Spec spec) {
    if (spec == null) throw invalid("InvalidArgument", "invalid argument");
    byte[] sent = spec.data() == null ? null : decode(spec.data());
    String id = store.updateAndGet(tx -> {
      Config cur = Lookup.find(tx, StoreObject.Kind.CONFIG, ref);
      checkLabelsOnly(cur.spec(), spec, sent);
      if (cur.version().index() != version) throw new ShoalException.SequenceConflict("update out of sequence");
      tx.update(new Config(cur.id(), cur.version(), cur.createdAt(), cur.updatedAt(), relabelled(cur.spec(), spec)));
      return cur.id();
    });
    return config(id);
  }

  public void removeConfig(String ref) {
    store.update(tx -> {
      Config c = Lookup.find(tx, StoreObject.Kind.CONFIG, ref);
      List<String> users = new ArrayList<>();
      for (Service svc : tx.services()) {
        List<ConfigReference> refs = svc.spec().taskTemplate().containerSpec().configs();
        if (refs != null && refs.stream().anyMatch(r -> c.id().equals(r.configID()))) users.add(svc.spec().name());
      }
      if (!users.isEmpty()) throw inUse("config", c.spec().name(), users);
      tx.delete(StoreObject.Kind.CONFIG, c.id());
    });
  }

  // ---- shared by secrets and configs ----

  /** Name and data checks in SwarmKit's words; returns the spec with its data in canonical base64. */
  private static Secret.Spec validateData(Secret.Spec spec, String kind, int max) {
    if (spec == null) throw invalid("InvalidArgument", "invalid argument");
    String name = spec.name() == null ? "" : spec.name();
    if (name.isEmpty()) throw invalid("InvalidArgument", "name must be provided");
    if (name.length() > 64 || !SECRET_NAME.matcher(name).matches()) {
      throw invalid("InvalidArgument",
          "invalid name, only 64 [a-zA-Z0-9-_.] characters allowed, and the start and end character must be [a-zA-Z0-9]");
    }
    byte[] data = spec.data() == null ? new byte[0] : decode(spec.data());
    if (data.length >= max || data.length < 1) {
      throw invalid("InvalidArgument", kind + " data must be larger than 0 and less than " + max + " bytes");
    }
    com.fasterxml.jackson.databind.JsonNode templating = null;
    if (spec.templating() != null && !spec.templating().isNull()) {
      // Swarm's one template driver: the data is a Go template rendered for each task on its node
      String driver = spec.templating().path("Name").asText(spec.templating().path("name").asText(""));
      if (!driver.equals("golang")) {
        throw new ShoalException.InvalidSpec("unsupported template driver \"" + driver + "\": Swarm's only template driver is golang");
      }
      try {
        io.shoal.api.template.GoTemplate.parse(new String(data, java.nio.charset.StandardCharsets.UTF_8));
      } catch (io.shoal.api.template.TemplateException e) {
        throw new ShoalException.InvalidSpec("invalid " + kind + " template: " + e.getMessage());
      }
      templating = spec.templating();
    }
    return new Secret.Spec(name, spec.labels(), Base64.getEncoder().encodeToString(data), spec.driver(), templating);
  }

  /** Go's []byte JSON field: standard base64; line breaks are skipped as Go's decoder does. */
  private static byte[] decode(String b64) {
    try {
      return Base64.getDecoder().decode(b64.replace("\r", "").replace("\n", ""));
    } catch (IllegalArgumentException e) {
      throw new ShoalException.InvalidSpec("invalid JSON: illegal base64 data in Data: " + e.getMessage());
    }
  }

  private static void checkLabelsOnly(Secret.Spec cur, Secret.Spec sent, byte[] sentData) {
    boolean sameData = sentData == null || Arrays.equals(sentData, Base64.getDecoder().decode(cur.data()));
    if (!Objects.equals(cur.name(), sent.name()) || !sameData) {
      throw invalid("InvalidArgument", "only updates to Labels are allowed");
    }
  }

  private static Secret.Spec relabelled(Secret.Spec cur, Secret.Spec sent) {
    return new Secret.Spec(cur.name(), sent.labels(), cur.data(), cur.driver(), cur.templating());
  }

  private static <T extends StoreObject> List<T> listed(List<T> all, Filters f, Function<T, String> id,
      Function<T, Secret.Spec> spec) {
    f.allowOnly("id", "name", "names", "label");
    List<T> out = new ArrayList<>();
    for (T o : all) {
      String name = spec.apply(o).name();
      if (!f.any("id", id.apply(o)::startsWith)) continue;
      if ((f.has("name") || f.has("names")) && !(f.get("names").contains(name) || f.get("name").stream().anyMatch(name::startsWith))) {
        continue; // SwarmKit ORs the name and name-prefix filters
      }
      if (!f.labels("label", spec.apply(o).labels())) continue;
      out.add(o);
    }
    out.sort(Comparator.comparing((T o) -> o.createdAt(), Comparator.nullsFirst(Comparator.naturalOrder()))
        .thenComparing(o -> spec.apply(o).name()));
    return out;
  }

  private static ShoalException inUse(String kind, String name, List<String> services) {
    return invalid("InvalidArgument", kind + " '" + name + "' is in use by the following "
        + (services.size() == 1 ? "service" : "services") + ": " + String.join(", ", services));
  }

  // ---- helpers ----

  /** Docker daemon passes SwarmKit's gRPC errors through with this prefix. */
  static String rpc(String code, String desc) {
    return "rpc error: code = " + code + " desc = " + desc;
  }

  private static ShoalException.InvalidSpec invalid(String code, String desc) {
    return new ShoalException.InvalidSpec(rpc(code, desc));
  }

  /** Docker's filter match for names and ids: an exact value, or an (unanchored) regular expression. */
  static boolean dockerMatch(String filter, String value) {
    if (filter.equals(value)) return true;
    try {
      return Pattern.compile(filter).matcher(value).find();
    } catch (PatternSyntaxException e) {
      return false;
    }
  }

  private static JsonNode field(JsonNode n, String name) {
    if (n == null || !n.isObject()) return null;
    for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().equalsIgnoreCase(name)) return e.getValue(); // Go's JSON keys match case-insensitively
    }
    return null;
  }

  private static String text(JsonNode n, String name) {
    JsonNode v = field(n, name);
    return v == null || v.isNull() ? "" : v.asText();
  }

  private static boolean hasText(JsonNode n, String name) {
    return !text(n, name).isEmpty();
  }

  /** An address block; parsing accepts IP literals only, so no name is ever resolved. */
  private record Cidr(byte[] address, int bits) {
    private static final Pattern LITERAL = Pattern.compile("^[0-9a-fA-F:.]+$");

    static Cidr parse(String s) {
      int slash = s.indexOf('/');
      if (slash < 0) return null;
      byte[] addr = literal(s.substring(0, slash));
      if (addr == null) return null;
      int bits;
      try {
        bits = Integer.parseInt(s.substring(slash + 1));
      } catch (NumberFormatException e) {
        return null;
      }
      return bits < 0 || bits > addr.length * 8 ? null : new Cidr(addr, bits);
    }

    static byte[] literal(String s) {
      if (s.isEmpty() || !LITERAL.matcher(s).matches()) return null;
      if (!s.contains(":") && s.split("\\.", -1).length != 4) return null;
      try {
        return InetAddress.getByName(s).getAddress();
      } catch (UnknownHostException e) {
        return null;
      }
    }

    boolean contains(byte[] ip) {
      if (ip.length != address.length) return false;
      for (int i = 0; i < bits; i++) {
        int mask = 0x80 >> (i % 8);
        if ((ip[i / 8] & mask) != (address[i / 8] & mask)) return false;
      }
      return true;
    }
  }
}
