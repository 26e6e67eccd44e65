package io.shoal.gossip;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shell around one {@link GossipNode}: a UDP socket for probes and gossip and a TCP listener
 * on the same port number for push-pull streams, one event-loop thread that owns the node, and a
 * small pool that writes outgoing streams (so a peer that does not answer never stalls probes).
 *
 * <p>Thread-safe: every public method hands its work to the loop thread. Listeners run on that
 * thread and must not block.
 */
public final class GossipService implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GossipService.class);
  private static final int CONNECT_TIMEOUT_MILLIS = 2_000;

  private final GossipNode node;
  private final Clock clock;
  private final DatagramChannel udp;
  private final ServerSocket tcp;
  private final Selector selector;
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final ExecutorService streams;
  private final ConcurrentHashMap<String, InetSocketAddress> resolved = new ConcurrentHashMap<>();
  private final Thread loop;
  private final Thread acceptor;
  private final String advertise;
  private volatile boolean running = true;

  private GossipService(GossipConfig config, String nodeId, DatagramChannel udp, ServerSocket tcp, String advertise,
      Keyring keyring, Clock clock) throws IOException {
    this.udp = udp;
    this.tcp = tcp;
    this.clock = clock;
    this.advertise = advertise;
    this.selector = Selector.open();
    udp.configureBlocking(false);
    udp.register(selector, SelectionKey.OP_READ);
    this.streams = new ThreadPoolExecutor(2, 2, 30, java.util.concurrent.TimeUnit.SECONDS,
        new java.util.concurrent.ArrayBlockingQueue<>(256), r -> daemon(r, "gossip-stream-out"),
        new ThreadPoolExecutor.DiscardPolicy());
    Transport transport = new Transport() {
      @Override
      public void sendPacket(String address, byte[] packet) {
        try {
          udp.send(ByteBuffer.wrap(packet), resolve(address));
        } catch (IOException | RuntimeException e) {
          log.debug("gossip packet to {} not sent: {}", address, e.toString());
        }
      }

      @Override
      public void sendStream(String address, byte[] stream) {
        streams.execute(() -> writeStream(address, stream));
      }
    };
    this.node = new GossipNode(config, nodeId, advertise, keyring, transport, clock,
        new SplittableRandom(new SecureRandom().nextLong()));
    this.loop = daemon(this::runLoop, "gossip-loop");
    this.acceptor = daemon(this::runAcceptor, "gossip-accept");
  }

  /**
   * Binds UDP and TCP on {@code bindHost:port} (port 0: one free number for both) and starts.
   * {@code advertiseHost} is the address other nodes reach this one at.
   */
  public static GossipService start(GossipConfig config, String nodeId, String bindHost, int port,
      String advertiseHost, Keyring keyring, Clock clock) throws IOException {
    IOException last = null;
    for (int attempt = 0; attempt < (port == 0 ? 20 : 1); attempt++) {
      DatagramChannel udp = DatagramChannel.open();
      try {
        udp.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
        udp.bind(new InetSocketAddress(bindHost, port));
        int bound = ((InetSocketAddress) udp.getLocalAddress()).getPort();
        ServerSocket tcp = new ServerSocket();
        try {
          tcp.setReuseAddress(true);
          tcp.bind(new InetSocketAddress(bindHost, bound), 128);
        } catch (IOException e) {
          tcp.close();
          throw e;
        }
        GossipService s = new GossipService(config, nodeId, udp, tcp, advertiseHost + ":" + bound, keyring, clock);
        s.loop.start();
        s.acceptor.start();
        return s;
      } catch (IOException e) {
        udp.close();
        last = e;
      }
    }
    throw new IOException("cannot bind gossip on " + bindHost + ":" + port + ": " + last.getMessage(), last);
  }

  public String address() {
    return advertise;
  }

  public String id() {
    return node.id();
  }

  public GossipMetrics metrics() {
    return node.metrics();
  }

  public void addListener(GossipListener listener) {
    node.addListener(listener);
  }

  public void join(List<String> seeds) {
    submit(n -> {
      n.join(seeds);
      return null;
    });
  }

  public void addKnownMember(String id, String address) {
    submit(n -> {
      n.addKnownMember(id, address);
      return null;
    });
  }

  public void setKeyring(Keyring keyring) {
    submit(n -> {
      n.setKeyring(keyring);
      return null;
    });
  }

  public void publish(String table, String key, byte[] value) {
    submit(n -> {
      n.publish(table, key, value);
      return null;
    });
  }

  public void delete(String table, String key) {
    submit(n -> {
      n.delete(table, key);
      return null;
    });
  }

  public CompletableFuture<List<MemberInfo>> members() {
    return submit(GossipNode::members);
  }

  public CompletableFuture<List<GossipRecord>> records(String table) {
    return submit(n -> n.records(table));
  }

  public CompletableFuture<MemberInfo> member(String id) {
    return submit(n -> n.member(id));
  }

  /** Runs {@code f} on the loop thread. */
  public <T> CompletableFuture<T> submit(Function<GossipNode, T> f) {
    CompletableFuture<T> result = new CompletableFuture<>();
    tasks.add(() -> {
      try {
        result.complete(f.apply(node));
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      }
    });
    selector.wakeup();
    return result;
  }

  private void runLoop() {
    ByteBuffer buf = ByteBuffer.allocate(GossipConfig.MAX_PACKET + 1);
    while (running) {
      try {
        long wait = node.nextDeadline() - clock.millis();
        if (wait > 0 && tasks.isEmpty()) selector.select(Math.max(1, wait));
        else selector.selectNow();
        selector.selectedKeys().clear();
        for (int i = 0; i < 256; i++) {
          buf.clear();
          if (udp.receive(buf) == null) break;
          buf.flip();
          byte[] packet = new byte[buf.remaining()];
          buf.get(packet);
          node.receivePacket(packet);
        }
        for (Runnable r; (r = tasks.poll()) != null; ) r.run();
        if (clock.millis() >= node.nextDeadline()) node.tick();
      } catch (IOException | RuntimeException e) {
        if (running) log.warn("gossip loop: {}", e.toString(), e);
      }
    }
  }

  private void runAcceptor() {
    while (running) {
      try {
        Socket s = tcp.accept();
        streams.execute(() -> readStream(s));
      } catch (IOException e) {
        if (running) log.debug("gossip accept: {}", e.toString());
      }
    }
  }

  private void readStream(Socket s) {
    try (s) {
      s.setSoTimeout(5_000);
      DataInputStream in = new DataInputStream(s.getInputStream());
      int len = in.readInt();
      if (len < 0 || len > GossipConfig.MAX_STREAM) {
        tasks.add(() -> node.metrics().drop(DropReason.OVERSIZED));
        return;
      }
      byte[] stream = in.readNBytes(len);
      if (stream.length != len) {
        tasks.add(() -> node.metrics().drop(DropReason.TRUNCATED));
        return;
      }
      tasks.add(() -> node.receiveStream(stream));
      selector.wakeup();
    } catch (IOException e) {
      log.debug("gossip stream from {}: {}", s.getRemoteSocketAddress(), e.toString());
    }
  }

  private void writeStream(String address, byte[] stream) {
    try (Socket s = new Socket()) {
      s.connect(resolve(address), CONNECT_TIMEOUT_MILLIS);
      s.setSoTimeout(5_000);
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      out.writeInt(stream.length);
      out.write(stream);
      out.flush();
    } catch (IOException | RuntimeException e) {
      log.debug("gossip stream to {} failed: {}", address, e.toString());
    }
  }

  private InetSocketAddress resolve(String address) {
    return resolved.computeIfAbsent(address, a -> {
      int colon = a.lastIndexOf(':');
      if (colon <= 0) throw new IllegalArgumentException("gossip address '" + a + "' is not host:port");
      return new InetSocketAddress(a.substring(0, colon), Integer.parseInt(a.substring(colon + 1)));
    });
  }

  /** Leaves gracefully (others see LEFT, not a failure) and stops. */
  public void leaveAndClose() {
    try {
      submit(n -> {
        n.leave();
        return null;
      }).get(1, java.util.concurrent.TimeUnit.SECONDS);
      // let one gossip round carry the leave
      Thread.sleep(300);
    } catch (Exception e) {
      log.debug("gossip leave: {}", e.toString());
    }
    close();
  }

  @Override
  public void close() {
    running = false;
    selector.wakeup();
    try {
      tcp.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    try {
      loop.join(2_000);
      udp.close();
      selector.close();
    } catch (IOException | InterruptedException ignored) {
      Thread.currentThread().interrupt();
    }
    streams.shutdownNow();
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
