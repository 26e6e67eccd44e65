package io.shoal.network.mesh;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The userspace side of the routing mesh on non-blocking I/O: one selector thread serves every
 * published port's listener, every spliced TCP connection and every UDP flow — no thread per
 * connection. TCP: each accepted connection is spliced to the next backend in round-robin order
 * (one that refuses is skipped), half-closes are passed on, and both sockets close when both
 * directions have ended. UDP: each client address gets a flow with its own socket connected to
 * one backend, so answers find their way back; a flow idle for 30 s is dropped.
 *
 * <p>Threading: {@link #open} binds in the caller's thread (so a port conflict is reported to the
 * caller) and hands the socket to the loop; {@link Port#setBackends} swaps a reference; all I/O
 * happens on the loop thread. Open connections keep their backend when backends change.
 */
public final class ProxyLoop implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ProxyLoop.class);
  private static final int BUFFER = 64 * 1024;
  private static final long UDP_IDLE_NANOS = 30_000_000_000L;

  private final Selector selector;
  private final Thread thread;
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final ByteBuffer datagram = ByteBuffer.allocateDirect(65536);
  private volatile boolean closed;

  public ProxyLoop(String name) throws IOException {
    this.selector = Selector.open();
    this.thread = new Thread(this::loop, name);
    thread.setDaemon(true);
    thread.start();
  }

  /** One published port being served. */
  public final class Port implements AutoCloseable {
    private final String protocol;
    private final SelectableChannel channel;
    private final int port;
    private final AtomicReference<List<InetSocketAddress>> backends = new AtomicReference<>(List.of());
    private final AtomicInteger next = new AtomicInteger();
    private final Map<InetSocketAddress, Flow> flows = new HashMap<>();

    private Port(String protocol, SelectableChannel channel, int port) {
      this.protocol = protocol;
      this.channel = channel;
      this.port = port;
    }

    public int port() {
      return port;
    }

    public String protocol() {
      return protocol;
    }

    public void setBackends(List<InetSocketAddress> b) {
      backends.set(List.copyOf(b));
    }

    public List<InetSocketAddress> backends() {
      return backends.get();
    }

    /** The backends to try for a new connection, starting with the next in turn. */
    private List<InetSocketAddress> order() {
      List<InetSocketAddress> l = backends.get();
      List<InetSocketAddress> out = new ArrayList<>(l.size());
      int start = l.isEmpty() ? 0 : Math.floorMod(next.getAndIncrement(), l.size());
      for (int i = 0; i < l.size(); i++) {
        InetSocketAddress b = l.get((start + i) % l.size());
        out.add(b.isUnresolved() ? new InetSocketAddress(b.getHostString(), b.getPort()) : b);
      }
      return out;
    }

    /** Stops listening; connections already spliced carry on until they end. */
    @Override
    public void close() {
      submit(() -> {
        closeQuietly(channel);
        flows.values().forEach(f -> closeQuietly(f.upstream));
        flows.clear();
      });
    }
  }

  /**
   * Listens on {@code bind} for {@code tcp} or {@code udp}.
   *
   * @throws java.net.BindException when the port is taken (by another program)
   */
  public Port open(String protocol, InetSocketAddress bind) throws IOException {
    SelectableChannel ch;
    int port;
    if (protocol.equals("tcp")) {
      ServerSocketChannel s = ServerSocketChannel.open();
      try {
        s.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        s.bind(bind, 512);
        s.configureBlocking(false);
      } catch (IOException e) {
        s.close();
        throw e;
      }
      ch = s;
      port = s.socket().getLocalPort();
    } else if (protocol.equals("udp")) {
      DatagramChannel d = DatagramChannel.open();
      try {
        d.bind(bind);
        d.configureBlocking(false);
      } catch (IOException e) {
        d.close();
        throw e;
      }
      ch = d;
      port = d.socket().getLocalPort();
    } else {
      throw new IllegalArgumentException("the userspace mesh serves tcp and udp, not " + protocol);
    }
    Port p = new Port(protocol, ch, port);
    submit(() -> {
      try {
        if (ch.isOpen()) ch.register(selector, ch instanceof ServerSocketChannel ? SelectionKey.OP_ACCEPT : SelectionKey.OP_READ, p);
      } catch (IOException e) {
        log.warn("mesh: cannot serve {}/{}: {}", port, protocol, e.toString());
      }
    });
    return p;
  }

  private void submit(Runnable r) {
    tasks.add(r);
    selector.wakeup();
  }

  private void loop() {
    long lastSweep = System.nanoTime();
    while (!closed) {
      try {
        selector.select(1000);
        Runnable r;
        while ((r = tasks.poll()) != null) r.run();
        Iterator<SelectionKey> it = selector.selectedKeys().iterator();
        while (it.hasNext()) {
          SelectionKey k = it.next();
          it.remove();
          handle(k);
        }
        long now = System.nanoTime();
        if (now - lastSweep > 1_000_000_000L) {
          lastSweep = now;
          sweepFlows(now);
        }
      } catch (IOException | RuntimeException e) {
        if (!closed) log.warn("mesh loop: {}", e.toString());
      }
    }
  }

  private void handle(SelectionKey k) {
    Object a = k.attachment();
    try {
      if (!k.isValid()) return;
      if (a instanceof Port p && k.channel() instanceof ServerSocketChannel s) {
        accept(p, s);
      } else if (a instanceof Port p && k.channel() instanceof DatagramChannel d) {
        fromClient(p, d);
      } else if (a instanceof Flow f) {
        fromBackend(f);
      } else if (a instanceof Splice.Side side) {
        side.splice().ready(k, side);
      }
    } catch (IOException e) {
      if (a instanceof Splice.Side side) side.splice().close();
      else log.debug("mesh: {}", e.toString());
    }
  }

  // ---- TCP

  private void accept(Port p, ServerSocketChannel s) throws IOException {
    for (int i = 0; i < 64; i++) {
      SocketChannel c = s.accept();
      if (c == null) return;
      c.configureBlocking(false);
      c.setOption(StandardSocketOptions.TCP_NODELAY, true);
      List<InetSocketAddress> order = p.order();
      if (order.isEmpty()) {
        closeQuietly(c);
        continue;
      }
      new Splice(c, order).connectNext();
    }
  }

  /** One client connection spliced to one backend; buffers are kept in write mode. */
  private final class Splice {
    record Side(Splice splice, boolean client) {}

    private final SocketChannel client;
    private final List<InetSocketAddress> candidates;
    private int attempt;
    private SocketChannel upstream;
    private SelectionKey clientKey;
    private SelectionKey upKey;
    private final ByteBuffer toUp = ByteBuffer.allocate(BUFFER);
    private final ByteBuffer toClient = ByteBuffer.allocate(BUFFER);
    private boolean clientEof;
    private boolean upEof;
    private boolean upShut;
    private boolean clientShut;
    private boolean connected;

    Splice(SocketChannel client, List<InetSocketAddress> candidates) {
      this.client = client;
      this.candidates = candidates;
    }

    void connectNext() {
      while (attempt < candidates.size()) {
        InetSocketAddress b = candidates.get(attempt++);
        try {
          SocketChannel u = SocketChannel.open();
          u.configureBlocking(false);
          u.setOption(StandardSocketOptions.TCP_NODELAY, true);
          upstream = u;
          if (u.connect(b)) {
            established();
          } else {
            upKey = u.register(selector, SelectionKey.OP_CONNECT, new Side(this, false));
          }
          return;
        } catch (IOException e) {
          closeQuietly(upstream);
          log.debug("mesh: backend {} refused: {}", b, e.toString());
        }
      }
      close();
    }

    void established() throws IOException {
      connected = true;
      if (upKey == null) upKey = upstream.register(selector, 0, new Side(this, false));
      clientKey = client.register(selector, 0, new Side(this, true));
      interest();
    }

    void ready(SelectionKey k, Side side) throws IOException {
      if (!connected) {
        if (k.isConnectable()) {
          try {
            upstream.finishConnect();
          } catch (IOException e) {
            k.cancel();
            closeQuietly(upstream);
            upKey = null;
            connectNext();
            return;
          }
          established();
        }
        return;
      }
      if (k.isReadable()) {
        if (side.client()) clientEof |= client.read(toUp) < 0;
        else upEof |= upstream.read(toClient) < 0;
      }
      if (k.isValid() && k.isWritable()) {
        if (side.client()) drain(toClient, client);
        else drain(toUp, upstream);
      }
      // pass a half-close on once everything before it has been written
      if (clientEof && toUp.position() == 0 && !upShut) {
        upstream.shutdownOutput();
        upShut = true;
      }
      if (upEof && toClient.position() == 0 && !clientShut) {
        client.shutdownOutput();
        clientShut = true;
      }
      if (upShut && clientShut) {
        close();
        return;
      }
      interest();
    }

    private void drain(ByteBuffer b, SocketChannel to) throws IOException {
      b.flip();
      to.write(b);
      b.compact();
    }

    private void interest() {
      if (!clientKey.isValid() || !upKey.isValid()) return;
      clientKey.interestOps((toUp.hasRemaining() && !clientEof ? SelectionKey.OP_READ : 0)
          | (toClient.position() > 0 ? SelectionKey.OP_WRITE : 0));
      upKey.interestOps((toClient.hasRemaining() && !upEof ? SelectionKey.OP_READ : 0)
          | (toUp.position() > 0 ? SelectionKey.OP_WRITE : 0));
    }

    void close() {
      closeQuietly(client);
      closeQuietly(upstream);
    }
  }

  // ---- UDP

  /** One client address's datagrams to one backend, and the answers back. */
  private static final class Flow {
    final Port port;
    final InetSocketAddress client;
    final DatagramChannel upstream;
    long lastUsed;

    Flow(Port port, InetSocketAddress client, DatagramChannel upstream, long now) {
      this.port = port;
      this.client = client;
      this.upstream = upstream;
      this.lastUsed = now;
    }
  }

  private void fromClient(Port p, DatagramChannel listen) throws IOException {
    for (int i = 0; i < 64; i++) {
      datagram.clear();
      InetSocketAddress from = (InetSocketAddress) listen.receive(datagram);
      if (from == null) return;
      datagram.flip();
      Flow f = p.flows.get(from);
      if (f == null) {
        List<InetSocketAddress> order = p.order();
        if (order.isEmpty()) continue;
        DatagramChannel u = DatagramChannel.open();
        try {
          u.configureBlocking(false);
          u.connect(order.get(0));
          f = new Flow(p, from, u, System.nanoTime());
          u.register(selector, SelectionKey.OP_READ, f);
        } catch (IOException e) {
          closeQuietly(u);
          log.debug("mesh udp: backend {}: {}", order.get(0), e.toString());
          continue;
        }
        p.flows.put(from, f);
      }
      f.lastUsed = System.nanoTime();
      try {
        f.upstream.write(datagram);
      } catch (IOException e) {
        dropFlow(f);
      }
    }
  }

  private void fromBackend(Flow f) {
    for (int i = 0; i < 64; i++) {
      datagram.clear();
      try {
        if (f.upstream.read(datagram) <= 0) return;
        datagram.flip();
        f.lastUsed = System.nanoTime();
        ((DatagramChannel) f.port.channel).send(datagram, f.client);
      } catch (PortUnreachableException e) {
        dropFlow(f); // the backend went: the client's next datagram picks another
        return;
      } catch (IOException e) {
        dropFlow(f);
        return;
      }
    }
  }

  private void dropFlow(Flow f) {
    f.port.flows.remove(f.client, f);
    closeQuietly(f.upstream);
  }

  private void sweepFlows(long now) {
    for (SelectionKey k : selector.keys()) {
      if (k.attachment() instanceof Flow f && now - f.lastUsed > UDP_IDLE_NANOS) dropFlow(f);
    }
  }

  private static void closeQuietly(java.io.Closeable c) {
    if (c == null) return;
    try {
      c.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  @Override
  public void close() {
    closed = true;
    selector.wakeup();
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (SelectionKey k : selector.keys()) closeQuietly(k.channel());
    closeQuietly(selector);
  }
}
