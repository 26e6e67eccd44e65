package io.shoal.network.dns;

import io.shoal.network.ip.Cidr;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;

/**
 * The node's resolver: UDP and TCP on port 53 of each of this node's gateway addresses (the
 * address task containers are given as their DNS server), answering from the current
 * {@link NameDirectory} with {@link DnsAnswerer} and relaying the rest to {@link Upstreams}.
 *
 * <p>Threading: one selector thread reads every UDP socket and accepts TCP connections; swarm
 * names are answered on it directly (a map lookup). Forwarded queries complete on the upstream
 * resolver's thread. TCP (rare: retries after a truncated answer) is served on a small bounded
 * pool. {@link #listenOn} and {@link #setDirectory} may be called from any thread.
 */
public final class DnsServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DnsServer.class);
  private static final int MAX_UDP = 512;

  private final int port;
  private final Upstreams upstreams;
  private final RandomGenerator random;
  private final AtomicReference<NameDirectory> directory = new AtomicReference<>(NameDirectory.empty());
  private final Selector selector;
  private final Thread thread;
  private final ConcurrentLinkedQueue<Runnable> pending = new ConcurrentLinkedQueue<>();
  private final Map<String, Listener> listeners = new LinkedHashMap<>();
  private final ExecutorService tcpPool;
  private final Set<String> warned = new java.util.HashSet<>();
  private volatile boolean closed;

  private record Listener(DatagramChannel udp, ServerSocketChannel tcp) {}

  /** @param port 53 in production; a test's ephemeral port otherwise (0 is not allowed: each address must share one) */
  public DnsServer(int port, Upstreams upstreams, RandomGenerator random) throws IOException {
    this.port = port;
    this.upstreams = upstreams;
    this.random = random;
    this.selector = Selector.open();
    this.tcpPool = new ThreadPoolExecutor(1, 4, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(64), r -> {
      Thread t = new Thread(r, "shoal-dns-tcp");
      t.setDaemon(true);
      return t;
    }, new ThreadPoolExecutor.DiscardPolicy());
    this.thread = new Thread(this::loop, "shoal-dns");
    thread.setDaemon(true);
    thread.start();
  }

  public void setDirectory(NameDirectory d) {
    directory.set(d);
  }

  public NameDirectory directory() {
    return directory.get();
  }

  /**
   * Listens on exactly these addresses (dotted quads) from now on: new ones are bound, gone ones
   * closed. Returns the addresses that could not be bound yet (say the bridge holding the
   * gateway address does not exist yet); the caller tries again later.
   */
  public synchronized Set<String> listenOn(Set<String> addresses) {
    Set<String> failed = new TreeSet<>();
    listeners.entrySet().removeIf(e -> {
      if (addresses.contains(e.getKey())) return false;
      closeQuietly(e.getValue());
      log.info("dns: stopped listening on {}:{}", e.getKey(), port);
      return true;
    });
    for (String a : addresses) {
      if (listeners.containsKey(a)) continue;
      DatagramChannel udp = null;
      ServerSocketChannel tcp = null;
      try {
        InetSocketAddress at = new InetSocketAddress(InetAddress.getByAddress(Cidr.toInet(Cidr.toInt(a)).getAddress()), port);
        udp = DatagramChannel.open();
        udp.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        udp.bind(at);
        udp.configureBlocking(false);
        tcp = ServerSocketChannel.open();
        tcp.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        tcp.bind(at, 64);
        tcp.configureBlocking(false);
        Listener l = new Listener(udp, tcp);
        listeners.put(a, l);
        warned.remove(a);
        pending.add(() -> register(l));
        selector.wakeup();
        log.info("dns: listening on {}:{} (udp, tcp)", a, port);
      } catch (IOException | RuntimeException e) {
        closeQuietly(new Listener(udp, tcp));
        failed.add(a);
        boolean taken = e instanceof java.net.BindException && String.valueOf(e.getMessage()).contains("in use");
        if (taken && warned.add(a)) {
          log.error("dns: port {} on {} is held by another program: containers on that network get no swarm names"
              + " (tried again every second)", port, a);
        } else {
          log.debug("dns: cannot listen on {}:{} yet: {}", a, port, e.toString());
        }
      }
    }
    return failed;
  }

  public synchronized Set<String> listening() {
    return Set.copyOf(listeners.keySet());
  }

  private void register(Listener l) {
    try {
      if (l.udp().isOpen()) l.udp().register(selector, SelectionKey.OP_READ, l);
      if (l.tcp().isOpen()) l.tcp().register(selector, SelectionKey.OP_ACCEPT, l);
    } catch (IOException e) {
      log.warn("dns: cannot register listener: {}", e.toString());
    }
  }

  private void loop() {
    ByteBuffer buf = ByteBuffer.allocate(65535);
    while (!closed) {
      try {
        selector.select(1000);
        Runnable r;
        while ((r = pending.poll()) != null) r.run();
        var it = selector.selectedKeys().iterator();
        while (it.hasNext()) {
          SelectionKey k = it.next();
          it.remove();
          if (!k.isValid()) continue;
          if (k.channel() instanceof DatagramChannel udp) {
            readUdp(udp, buf);
          } else if (k.channel() instanceof ServerSocketChannel tcp) {
            SocketChannel c = tcp.accept();
            if (c != null) tcpPool.execute(() -> serveTcp(c));
          }
        }
      } catch (IOException | RuntimeException e) {
        if (!closed) log.warn("dns: {}", e.toString());
      }
    }
  }

  private void readUdp(DatagramChannel udp, ByteBuffer buf) throws IOException {
    for (int i = 0; i < 64; i++) { // drain a burst, then let the other sockets have a turn
      buf.clear();
      SocketAddress from = udp.receive(buf);
      if (from == null) return;
      buf.flip();
      byte[] wire = new byte[buf.remaining()];
      buf.get(wire);
      InetSocketAddress src = (InetSocketAddress) from;
      handle(wire, src.getAddress()).thenAccept(reply -> {
        if (reply == null) return;
        try {
          udp.send(ByteBuffer.wrap(reply), src);
        } catch (IOException e) {
          log.debug("dns: cannot answer {}: {}", src, e.toString());
        }
      });
    }
  }

  private void serveTcp(SocketChannel c) {
    try (Socket s = c.socket()) {
      s.setSoTimeout(5000);
      DataInputStream in = new DataInputStream(s.getInputStream());
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      while (true) {
        int len;
        try {
          len = in.readUnsignedShort();
        } catch (IOException eof) {
          return;
        }
        byte[] q = new byte[len];
        in.readFully(q);
        byte[] reply = handle(q, s.getInetAddress(), 65535).get(10, TimeUnit.SECONDS);
        if (reply == null) return;
        out.writeShort(reply.length);
        out.write(reply);
        out.flush();
      }
    } catch (Exception e) {
      log.debug("dns tcp: {}", e.toString());
    }
  }

  private CompletableFuture<byte[]> handle(byte[] wire, InetAddress source) {
    Message q;
    try {
      q = new Message(wire);
    } catch (IOException e) {
      return CompletableFuture.completedFuture(null); // not DNS: say nothing, as resolvers do
    }
    OPTRecord opt = q.getOPT();
    int max = opt == null ? MAX_UDP : Math.max(MAX_UDP, opt.getPayloadSize());
    return handle(q, source, max);
  }

  private CompletableFuture<byte[]> handle(byte[] wire, InetAddress source, int max) {
    try {
      return handle(new Message(wire), source, max);
    } catch (IOException e) {
      return CompletableFuture.completedFuture(null);
    }
  }

  private CompletableFuture<byte[]> handle(Message q, InetAddress source, int max) {
    DnsAnswerer.Decision d = DnsAnswerer.answer(q, Cidr.toInt(source), directory.get(), random);
    if (d instanceof DnsAnswerer.Reply r) return CompletableFuture.completedFuture(r.message().toWire(max));
    int id = q.getHeader().getID();
    return upstreams.forward(q).toCompletableFuture().handle((resp, err) -> {
      Message m = resp;
      if (err != null || m == null) {
        m = DnsAnswerer.reply(q, Rcode.SERVFAIL);
      }
      m.getHeader().setID(id);
      return m.toWire(max);
    });
  }

  private static void closeQuietly(Listener l) {
    try {
      if (l.udp() != null) l.udp().close();
    } catch (IOException ignored) {
      // closing
    }
    try {
      if (l.tcp() != null) l.tcp().close();
    } catch (IOException ignored) {
      // closing
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    listeners.values().forEach(DnsServer::closeQuietly);
    listeners.clear();
    selector.wakeup();
    try {
      thread.join(2000);
      selector.close();
    } catch (InterruptedException | IOException ignored) {
      Thread.currentThread().interrupt();
    }
    tcpPool.shutdownNow();
  }

}
