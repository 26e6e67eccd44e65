package io.shoal.daemon.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.FutureCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's connection after a {@code 101 UPGRADED} from the engine ({@code attach}, {@code
 * exec start}): bytes from the client go to the engine and back, raw. Each direction ends on its
 * own, as Docker's hijacked streams do: the client's end of input (the CLI half-closes after
 * stdin) shuts the engine connection's output, and the engine's end (the process exited) shuts
 * the client's; the tunnel closes once both ended.
 *
 * <p>Threading: client-to-engine runs on Jetty's fill callbacks; engine-to-client on a thread of
 * its own that blocks on the engine's socket.
 */
final class EngineTunnel extends AbstractConnection implements Connection.UpgradeTo {
  private static final Logger log = LoggerFactory.getLogger(EngineTunnel.class);
  private final EngineConnection engine;
  private final OutputStream toEngine;
  private final ByteBuffer buffer = BufferUtil.allocate(16384);
  private volatile boolean clientEnded;
  private volatile boolean engineEnded;

  EngineTunnel(EndPoint endPoint, Executor executor, EngineConnection engine) {
    super(endPoint, executor);
    this.engine = engine;
    this.toEngine = engine.out();
  }

  @Override
  public void onUpgradeTo(ByteBuffer prefilled) {
    if (BufferUtil.hasContent(prefilled)) {
      try {
        byte[] b = new byte[prefilled.remaining()];
        prefilled.get(b);
        toEngine.write(b);
        toEngine.flush();
      } catch (IOException e) {
        close();
      }
    }
  }

  @Override
  public void onOpen() {
    super.onOpen();
    Thread t = new Thread(this::engineToClient, "shoal-engine-tunnel");
    t.setDaemon(true);
    t.start();
    fillInterested();
  }

  @Override
  public void onFillable() {
    try {
      while (true) {
        BufferUtil.clear(buffer);
        int n = getEndPoint().fill(buffer);
        if (n > 0) {
          toEngine.write(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
          toEngine.flush();
        } else if (n == 0) {
          fillInterested();
          return;
        } else {
          clientEnded = true;
          engine.channel().shutdownOutput();
          closeIfBothEnded();
          return;
        }
      }
    } catch (IOException e) {
      log.debug("tunnel client->engine: {}", e.toString());
      close();
    }
  }

  private void engineToClient() {
    InputStream in = engine.body();
    byte[] buf = new byte[16384];
    try {
      for (int r; (r = in.read(buf)) >= 0; ) {
        if (r == 0) continue;
        FutureCallback done = new FutureCallback();
        getEndPoint().write(done, ByteBuffer.wrap(buf, 0, r));
        done.get();
      }
      engineEnded = true;
      getEndPoint().shutdownOutput();
      closeIfBothEnded();
    } catch (Exception e) {
      log.debug("tunnel engine->client: {}", e.toString());
      close();
    }
  }

  private void closeIfBothEnded() {
    if (clientEnded && engineEnded) close();
  }

  @Override
  public void onClose(Throwable cause) {
    super.onClose(cause);
    engine.close();
  }
}
