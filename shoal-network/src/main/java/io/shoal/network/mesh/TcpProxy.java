package io.shoal.network.mesh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One published port of the routing mesh: accepts TCP connections and splices each to the next
 * backend in round-robin order; a backend that refuses is skipped for that connection. Backends
 * are swapped atomically as tasks come and go; open connections are left alone.
 *
 * <p>Threading: one acceptor thread; two pump tasks per connection on the shared pool. Blocking
 * streams with a large buffer are as fast as the loopback path needs and keep this simple.
 */
public final class TcpProxy implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TcpProxy.class);
  private static final int BUFFER = 64 * 1024;

  private final ServerSocket server;
  private final ExecutorService pool;
  private final AtomicReference<List<InetSocketAddress>> backends = new AtomicReference<>(List.of());
  private final AtomicInteger next = new AtomicInteger();
  private final Thread acceptor;
  private volatile boolean closed;

  public TcpProxy(InetSocketAddress bind, ExecutorService pool) throws IOException {
    this.pool = pool;
    this.server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(bind, 512);
    this.acceptor = new Thread(this::accept, "shoal-mesh-" + bind.getPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public int port() {
    return server.getLocalPort();
  }

  public void setBackends(List<InetSocketAddress> b) {
    backends.set(List.copyOf(b));
  }

  public List<InetSocketAddress> backends() {
    return backends.get();
  }

  private void accept() {
    while (!closed) {
      try {
        Socket client = server.accept();
        pool.execute(() -> serve(client));
      } catch (IOException e) {
        if (!closed) log.warn("mesh port {}: accept failed: {}", server.getLocalPort(), e.toString());
      }
    }
  }

  private void serve(Socket client) {
    List<InetSocketAddress> list = backends.get();
    Socket upstream = null;
    for (int i = 0; i < list.size() && upstream == null; i++) {
      InetSocketAddress b = list.get(Math.floorMod(next.getAndIncrement(), list.size()));
      try {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress(b.getHostString(), b.getPort()), 2000);
        upstream = s;
      } catch (IOException e) {
        log.debug("mesh port {}: backend {} refused: {}", server.getLocalPort(), b, e.toString());
      }
    }
    if (upstream == null) {
      closeQuietly(client);
      return;
    }
    try {
      client.setTcpNoDelay(true);
    } catch (SocketException ignored) {
      // best effort
    }
    Socket up = upstream;
    // both sockets close when both directions have ended: a client that half-closes (sends its
    // request, then FIN) must still get the whole answer
    AtomicInteger open = new AtomicInteger(2);
    pool.execute(() -> pump(client, up, open));
    pump(up, client, open);
  }

  private static void pump(Socket from, Socket to, AtomicInteger open) {
    byte[] buf = new byte[BUFFER];
    boolean clean = false;
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      int n;
      while ((n = in.read(buf)) >= 0) {
        out.write(buf, 0, n);
      }
      to.shutdownOutput(); // pass the half-close on
      clean = true;
    } catch (IOException e) {
      // reset or closed: nothing more can flow either way
    } finally {
      if (!clean || open.decrementAndGet() == 0) {
        closeQuietly(from);
        closeQuietly(to);
      }
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // nothing to do
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException ignored) {
      // closing
    }
  }
}
