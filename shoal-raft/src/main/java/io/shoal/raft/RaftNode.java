package io.shoal.raft;

import io.shoal.api.error.ShoalException;
import io.shoal.store.Codec;
import io.shoal.store.MemoryStore;
import io.shoal.store.Proposal;
import io.shoal.store.Proposer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcTlsConfig;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.proto.RaftProtos.ServerRpcProto;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.SetConfigurationRequest;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.util.ExitUtils;
import org.apache.ratis.util.MD5FileUtil;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One manager's seat in the raft group that replicates the store (Apache Ratis over gRPC), and the
 * {@link Proposer} the store writes through.
 *
 * <p>Lifecycle, chosen by the daemon: {@link #bootstrap()} on {@code swarm init} (a new one-peer
 * group), {@link #start()} on every later daemon start ({@link #isInitialized} tells which: the log
 * and snapshots replay into the store), {@link #join} on a manager that joins; the leader then
 * admits it with {@link #addPeer}. {@link #close()} stops it; the data directory stays.
 *
 * <p>Writes: {@link #propose} works on every manager. A follower's raft client forwards to the
 * leader; the future completes once the entry is applied to <em>this</em> node's store
 * (read-your-writes), with the typed {@link ShoalException} apply raised, or with
 * {@link ShoalException.Unavailable} ({@link #NO_QUORUM}) after {@link RaftConfig#proposeTimeout()}.
 *
 * <p>Threading: all public methods are thread-safe. {@link #propose} never blocks; {@link
 * #addPeer}, {@link #removePeer} and {@link #peers} block for at most a few RPC timeouts and must
 * not be called from a store apply or the leadership listener. The leadership listener runs on one
 * dedicated thread, in order, once per change.
 */
public final class RaftNode implements Proposer, AutoCloseable {
  /** Docker's wording when a write cannot be committed. */
  public static final String NO_QUORUM = "The swarm does not have a leader. It's possible that too few"
      + " managers are online. Make sure more than half of the managers are online.";

  static final String IDENTITY = "raft-identity.properties";
  /**
   * Proposals handed to the Ratis client at once; more wait in our queue. Ratis' ordered async
   * client blocks at its own limit (100) and, under load, was seen to break an internal assertion
   * there ("nextSeqNum=219 but ... requests[118..217]") and throw from send(): stay well below.
   */
  static final int MAX_IN_FLIGHT = 32;
  /** Where {@link #forceNewCluster()} moves the old group's directory. */
  public static final String SUPERSEDED = "superseded-groups";
  private static final Logger log = LoggerFactory.getLogger(RaftNode.class);

  static {
    // Ratis calls System.exit(1) when, for one, the gRPC server cannot bind its port, and may on
    // an uncaught exception in its threads. In the daemon that would take the agent and the API
    // down with raft; turned off, the failure is thrown and reported like any other.
    ExitUtils.disableSystemExit();
    ExitUtils.setTerminateOnUncaughtException(false);
  }

  private final RaftPeerId self;
  private final String address;
  private final Path dataDir;
  private final MemoryStore store;
  private final RaftTls tls;
  private final Clock clock;
  private final RaftConfig config;
  private final ExecutorService notifier;

  private volatile Consumer<Boolean> listener = b -> {};
  private boolean announced; // notifier thread only

  // Set once by bootstrap/start/join under "this"; read without lock afterwards.
  private volatile RaftGroupId groupId;
  private volatile DataKey key;
  private volatile RaftServer server;
  private volatile RaftServer.Division division;
  private volatile StoreStateMachine sm;
  private volatile boolean closed;
  private final java.util.concurrent.atomic.AtomicLong leaderChanges = new java.util.concurrent.atomic.AtomicLong();

  private RaftProperties props;
  private Parameters params;
  private final InFlight inFlight = new InFlight(MAX_IN_FLIGHT);
  /** Own lock: "this" is held by start()/bootstrap() while they wait, and propose must not wait. */
  private final Object clientLock = new Object();
  /** Clients for the current peer set; guarded by clientLock. */
  private Clients clients;

  /** A write client and a single-attempt info client built for one set of peers. */
  private record Clients(String peers, RaftClient write, RaftClient info) {
    void closeQuietly() {
      RaftNode.closeQuietly(write);
      RaftNode.closeQuietly(info);
    }
  }

  public RaftNode(String peerId, String address, Path dataDir, MemoryStore store, RaftTls tls, Clock clock,
      RaftConfig config) {
    this.self = RaftPeerId.valueOf(peerId);
    this.address = address;
    this.dataDir = dataDir;
    this.store = store;
    this.tls = tls;
    this.clock = clock;
    this.config = config;
    this.notifier = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "shoal-raft-leadership-" + peerId);
      t.setDaemon(true);
      return t;
    });
  }

  public RaftNode(String peerId, String address, Path dataDir, MemoryStore store, RaftTls tls, Clock clock) {
    this(peerId, address, dataDir, store, tls, clock, RaftConfig.defaults());
  }

  /** Whether {@code dataDir} holds a raft identity, i.e. {@link #start()} (not bootstrap) applies. */
  public static boolean isInitialized(Path dataDir) {
    return Files.isRegularFile(dataDir.resolve(IDENTITY));
  }

  /**
   * Creates a new one-peer group with this node as its only member (swarm init) and returns once
   * this node leads it, so the first write does not wait for an election.
   *
   * @throws IllegalStateException if the data directory already holds a raft identity
   */
  public synchronized void bootstrap() throws IOException {
    requireFresh();
    Files.createDirectories(dataDir);
    key = config.encryptAtRest() ? DataKey.loadOrCreate(dataDir) : null;
    groupId = RaftGroupId.valueOf(UUID.randomUUID());
    startFresh(RaftGroup.valueOf(groupId, selfPeer()));
    // Only a started group is recorded: an identity without a working group (say the port was
    // taken) would make the next daemon start recover an empty, passive group forever.
    writeIdentity();
    awaitCondition(this::isLeader, "become leader of the new group");
  }

  /**
   * Restarts from the data directory: the latest snapshot loads into the store, then the log after
   * it replays. Returns once the entries this node knew to be committed are applied, so the store
   * reads as before the restart; the group configuration comes from the log.
   */
  public synchronized void start() throws IOException {
    requireNotStarted();
    Properties id = readIdentity();
    if (!self.toString().equals(id.getProperty("peerId"))) {
      throw new IllegalStateException("raft data in " + dataDir + " belongs to peer " + id.getProperty("peerId")
          + ", not " + self);
    }
    groupId = RaftGroupId.valueOf(UUID.fromString(id.getProperty("groupId")));
    key = Files.exists(dataDir.resolve(DataKey.FILE)) ? DataKey.load(dataDir)
        : config.encryptAtRest() ? DataKey.loadOrCreate(dataDir) : null;
    // The empty group only names the group: the configuration is read back from raft-meta.conf and
    // the log. Passing a peer list here would not override it, but could mislead a reader.
    startServer(RaftGroup.valueOf(groupId), RaftStorage.StartupOption.RECOVER);
    long committed = division.getRaftLog().getLastCommittedIndex();
    awaitCondition(() -> sm.appliedIndex() >= committed || !division.getInfo().isAlive(),
        "replay the log up to index " + committed);
    if (!division.getInfo().isAlive()) {
      Throwable why = sm.fatal();
      close();
      throw new IOException("raft could not replay " + dataDir + (why == null ? "; see the log" : ": " + why.getMessage()),
          why);
    }
    log.info("raft restarted: peer {} group {} replayed to index {}, store index {}", self, groupId.getUuid(),
        sm.appliedIndex(), store.index());
  }

  /**
   * {@code swarm init --force-new-cluster}: turns this manager's copy of the state into a new
   * one-peer group after the others are lost for good. The old group's committed entries (as far
   * as this node knows) are replayed, its directory is moved under {@value #SUPERSEDED}, and a new
   * group starts from a snapshot of that state at the same index, so object versions keep
   * growing. Returns once this node leads the new group.
   *
   * <p>Entries the old leader committed but this node never received are lost: that is the
   * documented cost of forcing a new cluster, as in Swarm.
   */
  public synchronized void forceNewCluster() throws IOException {
    requireNotStarted();
    Properties id = readIdentity();
    RaftGroupId old = RaftGroupId.valueOf(UUID.fromString(id.getProperty("groupId")));
    groupId = old;
    key = Files.exists(dataDir.resolve(DataKey.FILE)) ? DataKey.load(dataDir)
        : config.encryptAtRest() ? DataKey.loadOrCreate(dataDir) : null;
    startServer(RaftGroup.valueOf(old), RaftStorage.StartupOption.RECOVER);
    long committed = division.getRaftLog().getLastCommittedIndex();
    awaitCondition(() -> sm.appliedIndex() >= committed, "replay the old log up to index " + committed);
    long index = sm.appliedIndex();
    byte[] state = store.snapshot();
    server.close();
    server = null;
    division = null;

    Path superseded = dataDir.resolve(SUPERSEDED);
    Files.createDirectories(superseded);
    // Ratis loads every directory of the storage dir whose name is a UUID as a group; a group
    // left in place would come back to life on the next start.
    Files.move(dataDir.resolve(old.getUuid().toString()),
        superseded.resolve(old.getUuid() + "-" + clock.millis()));
    groupId = RaftGroupId.valueOf(UUID.randomUUID());
    // Ratis formats (empties) a group directory it does not know, so let it create the new one
    // first, passive (no peers, so no election and no entry), and only then place the snapshot.
    startServer(RaftGroup.valueOf(groupId), RaftStorage.StartupOption.FORMAT);
    server.close();
    server = null;
    division = null;
    Path smDir = dataDir.resolve(groupId.getUuid().toString()).resolve("sm");
    Files.createDirectories(smDir);
    // Term 0: the new group's first election is term 1, which must not be older than the snapshot.
    Path snap = smDir.resolve(SimpleStateMachineStorage.getSnapshotFileName(0, index));
    Files.write(snap, key == null ? state : key.seal(state, StoreStateMachine.SNAPSHOT));
    MD5FileUtil.computeAndSaveMd5ForFile(snap.toFile());
    writeIdentity();
    startServer(RaftGroup.valueOf(groupId, selfPeer()), RaftStorage.StartupOption.RECOVER);
    awaitCondition(this::isLeader, "become leader of the forced new group");
    log.warn("forced a new raft group {} from {} at index {}; the old group is in {}", groupId.getUuid(),
        old.getUuid(), index, superseded);
  }

  /**
   * Prepares this node to join an existing group as a new manager: starts an empty raft server
   * that waits for the leader. The caller then has the leader run {@link #addPeer} for this node
   * (over the join RPC); the leader sends a snapshot and the log, and this node becomes a follower.
   *
   * @param groupId the group's id, {@link #groupId()} on an existing manager
   * @param dataKey the group's data key ({@link DataKey#export()} on an existing manager); null
   *     when the group does not encrypt at rest
   */
  public synchronized void join(String groupId, byte[] dataKey) throws IOException {
    requireFresh();
    Files.createDirectories(dataDir);
    key = dataKey == null ? null : DataKey.install(dataDir, dataKey);
    this.groupId = RaftGroupId.valueOf(UUID.fromString(groupId));
    // Not in any configuration yet: Ratis keeps such a server passive (no elections) until a
    // leader appends to it, which is what adding it to the configuration does.
    startFresh(RaftGroup.valueOf(this.groupId));
    writeIdentity();
  }

  /**
   * Adds a manager to the group (promote / join), through the leader. Blocks until the new
   * configuration is committed, which includes the new peer catching up (from a snapshot if the
   * log was purged); the new peer must already run {@link #join}.
   *
   * @throws ShoalException.Unavailable without quorum or when the change did not complete
   */
  public void addPeer(String peerId, String peerAddress) {
    RaftPeer peer = RaftPeer.newBuilder().setId(peerId).setAddress(peerAddress).build();
    // Adding waits for the new member to catch up, and a just-started JVM on a loaded machine can
    // take longer than one request's timeout: retry a few times, and a change that committed late
    // (our request timed out, the group has the peer) is a success, not an error
    for (int attempt = 1; ; attempt++) {
      try {
        setConfiguration(SetConfigurationRequest.Arguments.newBuilder()
            .setServersInNewConf(List.of(peer)).setMode(SetConfigurationRequest.Mode.ADD).build(), "add " + peerId);
        return;
      } catch (ShoalException.Unavailable e) {
        if (isMember(peerId)) return;
        if (attempt >= ADD_ATTEMPTS || closed || !isLeader()) throw e;
        log.warn("raft membership change (add {}) attempt {} of {} failed, retrying: {}", peerId, attempt, ADD_ATTEMPTS, e.getMessage());
      }
    }
  }

  private static final int ADD_ATTEMPTS = 3;

  private boolean isMember(String peerId) {
    RaftServer.Division d = division;
    if (d == null || closed) return false;
    return d.getRaftConf().getCurrentPeers().stream().anyMatch(p -> p.getId().toString().equals(peerId));
  }

  /**
   * Removes a manager from the group (demote / node rm), through the leader. Removing the leader
   * makes it step down once the change commits. Blocks until committed.
   *
   * @throws ShoalException.InvalidSpec when {@code peerId} is the last member
   * @throws ShoalException.Unavailable without quorum
   */
  public void removePeer(String peerId) {
    Collection<RaftPeer> current = requireRunning().getRaftConf().getCurrentPeers();
    List<RaftPeer> next = new ArrayList<>();
    for (RaftPeer p : current) if (!p.getId().toString().equals(peerId)) next.add(p);
    if (next.size() == current.size()) return;
    if (next.isEmpty()) throw new ShoalException.InvalidSpec("cannot remove the last manager from the raft group");
    setConfiguration(SetConfigurationRequest.Arguments.newBuilder()
        .setServersInNewConf(next).setServersInCurrentConf(new ArrayList<>(current))
        .setMode(SetConfigurationRequest.Mode.COMPARE_AND_SET).build(), "remove " + peerId);
  }

  private void setConfiguration(SetConfigurationRequest.Arguments args, String what) {
    Clients cs = clientsForCurrentPeers();
    try {
      RaftClientReply reply = cs.write().admin().setConfiguration(args);
      if (!reply.isSuccess()) {
        discard(cs, reply.getException());
        throw new ShoalException.Unavailable("raft membership change (" + what + ") failed: " + reply.getException());
      }
      log.info("raft membership change committed: {}", what);
    } catch (RuntimeException e) {
      discard(cs, e);
      throw e;
    } catch (IOException e) {
      discard(cs, e);
      // an add also waits for the new member to catch up: without quorum or with a new member
      // too slow to start, the request times out the same way, so say both
      String why = what.startsWith("add ") && isLeader()
          ? "the new manager did not catch up in time (" + e.getMessage() + ")" : NO_QUORUM;
      throw new ShoalException.Unavailable("raft membership change (" + what + ") failed: " + why, e);
    }
  }

  /** Registers (replacing any previous one) the listener told {@code true} when this node becomes leader, {@code false} when it stops. */
  public void onLeadershipChange(Consumer<Boolean> l) {
    Consumer<Boolean> next = l == null ? b -> {} : l;
    this.listener = next;
    // Registered after this node became leader: tell it now, on the notifier thread, in order.
    try {
      notifier.execute(() -> {
        if (announced && listener == next) next.accept(true);
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closed
    }
  }

  /** The group id as a string, to hand to a joining manager. */
  public String groupId() {
    RaftGroupId g = groupId;
    return g == null ? null : g.getUuid().toString();
  }

  public String id() {
    return self.toString();
  }

  /** The group's data key, null when encryption at rest is off. Hand it to joiners only over mTLS. */
  public DataKey dataKey() {
    return key;
  }

  /** Raft index applied to this node's store (entries, configuration changes and snapshots). */
  public long appliedIndex() {
    StoreStateMachine m = sm;
    return m == null ? -1 : m.appliedIndex();
  }

  /** The current term as this node knows it; -1 when not running (for metrics). */
  public long currentTerm() {
    RaftServer.Division d = division;
    return d == null || closed ? -1 : d.getInfo().getCurrentTerm();
  }

  /** The highest log index this node knows to be committed; -1 when not running (for metrics). */
  public long commitIndex() {
    RaftServer.Division d = division;
    return d == null || closed ? -1 : d.getRaftLog().getLastCommittedIndex();
  }

  /** Leader changes this node has seen (each time Ratis names a new leader), for metrics. */
  public long leaderChanges() {
    return leaderChanges.get();
  }

  /** Leader and ready: its first entry of the term is applied, so the store holds every commit. */
  @Override
  public boolean isLeader() {
    RaftServer.Division d = division;
    return d != null && !closed && d.getInfo().isLeader() && d.getInfo().isLeaderReady();
  }

  /** The current leader's peer id as this node knows it. */
  public Optional<String> leaderId() {
    RaftServer.Division d = division;
    if (d == null || closed) return Optional.empty();
    RaftPeerId l = d.getInfo().getLeaderId();
    return Optional.ofNullable(l).map(RaftPeerId::toString);
  }

  /**
   * The peer ids of the current configuration, as this node knows it; empty when not running.
   * Cheap (no RPC), unlike {@link #peers}: the CA asks it on every heartbeat to learn whether a
   * demoted manager has left the group yet.
   */
  public Set<String> members() {
    RaftServer.Division d = division;
    if (d == null || closed) return Set.of();
    Set<String> out = new HashSet<>();
    for (RaftPeer p : d.getRaftConf().getCurrentPeers()) out.add(p.getId().toString());
    return Set.copyOf(out);
  }

  /**
   * Every manager in the current configuration with its reachability as the leader sees it (the
   * follower's last RPC answer, older than twice the maximum election timeout = unreachable). On a
   * follower the leader is asked; if it does not answer, reachability is UNKNOWN. Blocks for at
   * most one RPC timeout.
   */
  public List<PeerStatus> peers() {
    RaftServer.Division d = requireRunning();
    RaftPeerId leader = d.getInfo().getLeaderId();
    RoleInfoProto view = null;
    if (d.getInfo().isLeader()) {
      view = d.getInfo().getRoleInfoProto();
    } else if (leader != null) {
      try {
        Clients cs = clientsForCurrentPeers();
        try {
          GroupInfoReply r = cs.info().getGroupManagementApi(leader).info(groupId);
          if (r.isSuccess() && r.getRoleInfoProto().hasLeaderInfo()) view = r.getRoleInfoProto();
        } catch (IOException | RuntimeException e) {
          discard(cs, e);
          throw e;
        }
      } catch (IOException | RuntimeException e) {
        log.debug("leader {} did not answer a group info request: {}", leader, e.toString());
      }
    }
    Map<String, Long> elapsed = new HashMap<>();
    if (view != null) {
      for (ServerRpcProto f : view.getLeaderInfo().getFollowerInfoList()) {
        elapsed.put(f.getId().getId().toStringUtf8(), f.getLastRpcElapsedTimeMs());
      }
    }
    long limit = config.electionTimeoutMax().toMillis() * 2;
    Instant now = clock.instant();
    List<PeerStatus> out = new ArrayList<>();
    for (RaftPeer p : d.getRaftConf().getCurrentPeers()) {
      String id = p.getId().toString();
      boolean isLeader = p.getId().equals(leader);
      Long ms = elapsed.get(id);
      PeerStatus.Reachability r;
      Instant contact = null;
      if (isLeader && view != null) {
        r = PeerStatus.Reachability.REACHABLE;
        contact = now;
      } else if (ms != null) {
        r = ms <= limit ? PeerStatus.Reachability.REACHABLE : PeerStatus.Reachability.UNREACHABLE;
        contact = now.minusMillis(ms);
      } else {
        r = PeerStatus.Reachability.UNKNOWN;
      }
      out.add(new PeerStatus(id, p.getAddress(), isLeader, r, contact));
    }
    return out;
  }

  @Override
  public CompletableFuture<Long> propose(Proposal proposal) {
    try {
      requireRunning();
    } catch (ShoalException e) {
      return CompletableFuture.failedFuture(e);
    }
    StoreStateMachine m = sm;
    byte[] data = Codec.encode(proposal);
    if (key != null) data = key.seal(data, StoreStateMachine.ENTRY);
    Message msg = Message.valueOf(UnsafeByteOperations.unsafeWrap(data));
    CompletableFuture<RaftClientReply> sent = new CompletableFuture<>();
    inFlight.submit(() -> {
      // The clients are taken when the send starts, not when it was queued: a queued send must
      // not go out on clients discarded meanwhile.
      Clients cs;
      try {
        cs = clientsForCurrentPeers();
      } catch (RuntimeException e) {
        inFlight.release();
        sent.completeExceptionally(e);
        return;
      }
      try {
        cs.write().async().send(msg).whenComplete((reply, err) -> {
          inFlight.release();
          if (err != null) {
            discard(cs, err);
            sent.completeExceptionally(err);
          } else {
            if (!reply.isSuccess()) discard(cs, reply.getException());
            sent.complete(reply);
          }
        });
      } catch (RuntimeException e) {
        inFlight.release();
        discard(cs, e);
        sent.completeExceptionally(e);
      }
    });
    CompletableFuture<Long> out = sent
        .thenCompose(reply -> {
          if (!reply.isSuccess()) {
            // Docker's words for the user; Ratis' retry detail goes to the debug log only
            log.debug("write not committed: {}", String.valueOf(reply.getException()));
            throw new ShoalException.Unavailable(NO_QUORUM);
          }
          Outcome o = Outcome.parse(reply.getMessage());
          // The leader replied after applying; this node may be a follower that has not yet.
          return m.awaitApplied(o.index()).thenApply(v -> {
            if (o.error() != null) throw o.error();
            return o.index();
          });
        });
    // The client's retry policy gives up at proposeTimeout; this is the backstop for the wait for
    // the local apply, which no Ratis timeout covers.
    return out.orTimeout(config.proposeTimeout().toMillis() + 2000, TimeUnit.MILLISECONDS)
        .handle((index, err) -> {
          if (err == null) return index;
          throw toShoal(err);
        });
  }

  private static ShoalException toShoal(Throwable err) {
    Throwable t = err;
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof ShoalException se) return se;
    if (t instanceof TimeoutException) return new ShoalException.Unavailable(NO_QUORUM);
    log.debug("write not committed: {}", t.toString());
    return new ShoalException.Unavailable(NO_QUORUM, t);
  }

  /** Stops raft; the leadership listener hears {@code false} first if it had heard {@code true}. */
  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    try {
      notifier.submit(() -> announce(false)).get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("leadership listener did not finish in time: {}", e.toString());
    }
    notifier.shutdown();
    Clients last;
    synchronized (clientLock) {
      last = clients;
      clients = null;
    }
    // Off this thread: closing a Ratis client waits for its gRPC channels to terminate (seconds
    // per channel with a request still open to a dead peer), and whoever closes raft (a demotion,
    // leave, shutdown) must not wait for that; the server below is what has to stop.
    if (last != null) closeInBackground(last);
    if (server != null) {
      try {
        server.close();
      } catch (IOException e) {
        log.warn("raft server did not close cleanly", e);
      }
    }
    if (sm != null) sm.failWaiters(new ShoalException.Unavailable("raft is shutting down"));
  }

  // ---------------------------------------------------------------------------------------------

  /** Starts a new group directory; if that fails, removes it so a retry starts clean. */
  private void startFresh(RaftGroup group) throws IOException {
    try {
      startServer(group, RaftStorage.StartupOption.FORMAT);
    } catch (IOException | RuntimeException e) {
      Path dir = dataDir.resolve(group.getGroupId().getUuid().toString());
      if (Files.isDirectory(dir)) {
        try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
          walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
      throw e;
    }
  }

  private void startServer(RaftGroup group, RaftStorage.StartupOption option) throws IOException {
    props = RatisTuning.properties(config, address, dataDir);
    params = new Parameters();
    if (tls != null) GrpcConfigKeys.TLS.setConf(params, new GrpcTlsConfig(tls.keyManager(), tls.trustManager(), true));
    sm = new StoreStateMachine(store, key, new Events());
    RaftServer s = RaftServer.newBuilder().setServerId(self).setGroup(group).setStateMachine(sm)
        .setProperties(props).setParameters(params).setOption(option).build();
    try {
      s.start();
      division = s.getDivision(groupId);
    } catch (IOException | RuntimeException e) {
      if (e instanceof ExitUtils.ExitException) ExitUtils.clear();
      closeQuietly(s);
      throw new IOException("raft could not start on " + address + " from " + dataDir + ": " + describe(e), e);
    }
    server = s;
    log.info("raft peer {} listening on {} (group {})", self, address, groupId.getUuid());
  }

  /** The first real cause's message (past Ratis' wrappers) and the root cause's, for one line. */
  private static String describe(Throwable e) {
    Throwable first = e;
    while ((first instanceof CompletionException || first instanceof ExecutionException
        || first instanceof ExitUtils.ExitException) && first.getCause() != null) {
      first = first.getCause();
    }
    Throwable root = first;
    while (root.getCause() != null && root.getCause() != root) root = root.getCause();
    return root == first ? String.valueOf(first.getMessage()) : first.getMessage() + " (" + root.getMessage() + ")";
  }

  /**
   * Throws away clients that failed, so the next use builds new ones. Ratis' ordered client closes
   * itself for good once one request exhausts its retries ("SlidingWindow$Client ... is closed"):
   * kept, it failed every later write of this manager until a membership change replaced it, while
   * the manager looked healthy. A failed request says nothing certain about which part broke, so
   * any failure rebuilds; building a client is cheap next to a failed write. Only the clients that
   * failed are dropped: a newer set built meanwhile stays.
   */
  private void discard(Clients broken, Throwable why) {
    if (why == null) return;
    synchronized (clientLock) {
      if (clients != broken) return;
      clients = null;
    }
    log.debug("raft clients rebuilt on next use after: {}", why.toString());
    closeLater(broken);
  }

  /**
   * Closes clients once requests still in flight on them have completed or timed out, on a thread
   * of its own: Ratis' client close joins work it runs on the common pool, so a close run on a
   * common-pool thread (as a delayed CompletableFuture task is) deadlocked on a 2-core machine and
   * later hung every close of raft behind it.
   */
  private void closeLater(Clients old) {
    CompletableFuture.delayedExecutor(config.proposeTimeout().toMillis() * 2, TimeUnit.MILLISECONDS)
        .execute(() -> closeInBackground(old));
  }

  private void closeInBackground(Clients old) {
    Thread t = new Thread(old::closeQuietly, "shoal-raft-client-close-" + self);
    t.setDaemon(true);
    t.start();
  }

  /**
   * Ratis' client only knows the peers it was built with (plus those a NotLeader reply names), so
   * after a membership change new clients are built, and after a failure ({@link #discard}). The old ones are closed a little later, when
   * requests still in flight on them have completed or timed out.
   */
  private Clients clientsForCurrentPeers() {
    synchronized (clientLock) {
      return clientsLocked();
    }
  }

  private Clients clientsLocked() {
    RaftServer.Division d = requireRunning();
    Collection<RaftPeer> peers = d.getRaftConf().getCurrentPeers();
    if (peers.isEmpty()) throw new ShoalException.Unavailable("this manager has not joined the raft group yet");
    String key = peers.stream().map(p -> p.getId() + "@" + p.getAddress()).sorted().toList().toString();
    if (clients != null && clients.peers().equals(key)) return clients;
    RaftGroup group = RaftGroup.valueOf(groupId, peers);
    Clients next = new Clients(key,
        RaftClient.newBuilder().setRaftGroup(group).setLeaderId(d.getInfo().getLeaderId())
            .setProperties(props).setParameters(params).setRetryPolicy(RatisTuning.retryPolicy(config)).build(),
        RaftClient.newBuilder().setRaftGroup(group).setProperties(props).setParameters(params)
            .setRetryPolicy(RetryPolicies.noRetry()).build());
    Clients previous = clients;
    clients = next;
    if (previous != null) closeLater(previous);
    return next;
  }

  private RaftServer.Division requireRunning() {
    RaftServer.Division d = division;
    if (d == null || closed) throw new ShoalException.Unavailable("raft is not running on this manager");
    return d;
  }

  private void requireNotStarted() {
    if (server != null || closed) throw new IllegalStateException("raft node already started or closed");
  }

  private void requireFresh() {
    requireNotStarted();
    if (isInitialized(dataDir)) {
      throw new IllegalStateException(dataDir + " already holds raft state; start() it instead");
    }
  }

  private void awaitCondition(java.util.function.BooleanSupplier ok, String what) {
    // Bounded poll at startup only (not in the write path): Ratis offers no future for either
    // condition. The sleep is in this adapter, never in tests.
    long deadline = System.nanoTime() + config.proposeTimeout().toNanos();
    while (!ok.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        log.warn("raft peer {} did not {} within {}", self, what, config.proposeTimeout());
        return;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private RaftPeer selfPeer() {
    return RaftPeer.newBuilder().setId(self).setAddress(address).build();
  }

  private void writeIdentity() throws IOException {
    Properties p = new Properties();
    p.setProperty("peerId", self.toString());
    p.setProperty("groupId", groupId.getUuid().toString());
    p.setProperty("address", address);
    Path tmp = dataDir.resolve(IDENTITY + ".tmp");
    try (OutputStream out = Files.newOutputStream(tmp)) {
      p.store(out, "Shoal raft identity: which group this data directory belongs to");
    }
    Files.move(tmp, dataDir.resolve(IDENTITY), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  private Properties readIdentity() throws IOException {
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(dataDir.resolve(IDENTITY))) {
      p.load(in);
    }
    return p;
  }

  private static void closeQuietly(java.io.Closeable c) {
    try {
      c.close();
    } catch (IOException | RuntimeException e) {
      log.debug("raft client close: {}", e.toString());
    }
  }

  /** Runs on the notifier thread: tells the listener about a change, once. */
  private void announce(boolean leader) {
    if (leader == announced) return;
    announced = leader;
    log.info("raft peer {} {} leader", self, leader ? "became" : "is no longer");
    try {
      listener.accept(leader);
    } catch (RuntimeException e) {
      log.error("leadership listener failed", e);
    }
  }

  /** A non-blocking gate: at most {@code max} sends run; the rest queue in order. Thread-safe. */
  private static final class InFlight {
    private final int max;
    private final java.util.ArrayDeque<Runnable> waiting = new java.util.ArrayDeque<>();
    private int running;

    InFlight(int max) {
      this.max = max;
    }

    void submit(Runnable send) {
      synchronized (this) {
        if (running >= max) {
          waiting.add(send);
          return;
        }
        running++;
      }
      send.run();
    }

    /** One send finished: start the next queued one in its place, or free the slot. */
    void release() {
      Runnable next;
      synchronized (this) {
        next = waiting.poll();
        if (next == null) running--;
      }
      // Not inline: a send that fails at once would complete, release and recurse through the
      // whole queue on one stack.
      if (next != null) java.util.concurrent.ForkJoinPool.commonPool().execute(next);
    }
  }

  /** Ratis callbacks, handed to the notifier thread so Ratis' threads never wait on the daemon. */
  private final class Events implements StoreStateMachine.Events {
    @Override
    public void leaderReady() {
      // Ratis calls this once the leader's first entry of its term is applied; isLeaderReady() may
      // not read true yet at this instant, so only the role is checked.
      post(() -> {
        RaftServer.Division d = division;
        announce(d != null && !closed && d.getInfo().isLeader());
      });
    }

    @Override
    public void leaderChanged(RaftPeerId newLeader) {
      leaderChanges.incrementAndGet();
      if (!self.equals(newLeader)) post(() -> announce(false));
    }

    @Override
    public void configurationChanged() {
      // A removed leader steps down through leaderChanged; a removed follower hears nothing else.
      post(() -> {
        RaftServer.Division d = division;
        if (d != null && d.getRaftConf().getPeer(self) == null) announce(false);
      });
    }

    @Override
    public void snapshotTaken(long index) {
      log.debug("raft peer {} snapshot at {}", self, index);
    }

    private void post(Runnable r) {
      if (!closed) {
        try {
          notifier.execute(r);
        } catch (java.util.concurrent.RejectedExecutionException e) {
          // closing
        }
      }
    }
  }
}
