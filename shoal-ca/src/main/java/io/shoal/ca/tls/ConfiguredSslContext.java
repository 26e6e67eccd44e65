package io.shoal.ca.tls;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.KeyManagementException;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * An initialised JDK context whose every engine and socket is born with Shoal's protocols and, on
 * the server side, {@code needClientAuth}. Subclassing SSLContext (rather than handing out a
 * context plus "remember to set these") makes the setting impossible to forget.
 */
final class ConfiguredSslContext extends SSLContext {
  ConfiguredSslContext(SSLContext delegate, boolean server) {
    super(new Spi(delegate, server), delegate.getProvider(), delegate.getProtocol());
  }

  private static final class Spi extends SSLContextSpi {
    private final SSLContext d;
    private final boolean server;
    private final String[] protocols = MutualTls.PROTOCOLS.toArray(String[]::new);

    Spi(SSLContext d, boolean server) {
      this.d = d;
      this.server = server;
    }

    @Override
    protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr)
        throws KeyManagementException {
      throw new KeyManagementException("this context is already initialised with the node's credentials");
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
      return new Sockets(d.getSocketFactory());
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
      return new ServerSockets(d.getServerSocketFactory());
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
      return engine(d.createSSLEngine());
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
      return engine(d.createSSLEngine(host, port));
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
      return d.getServerSessionContext();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
      return d.getClientSessionContext();
    }

    @Override
    protected SSLParameters engineGetDefaultSSLParameters() {
      SSLParameters p = d.getDefaultSSLParameters();
      p.setProtocols(protocols);
      if (server) {
        p.setNeedClientAuth(true);
      }
      return p;
    }

    @Override
    protected SSLParameters engineGetSupportedSSLParameters() {
      return d.getSupportedSSLParameters();
    }

    private SSLEngine engine(SSLEngine e) {
      e.setEnabledProtocols(protocols);
      if (server) {
        e.setUseClientMode(false);
        e.setNeedClientAuth(true);
      } else {
        e.setUseClientMode(true);
      }
      return e;
    }

    private Socket socket(Socket s) {
      if (s instanceof SSLSocket ssl) {
        ssl.setEnabledProtocols(protocols);
        if (server) {
          ssl.setNeedClientAuth(true);
        }
      }
      return s;
    }

    private ServerSocket serverSocket(ServerSocket s) {
      if (s instanceof SSLServerSocket ssl) {
        ssl.setEnabledProtocols(protocols);
        ssl.setNeedClientAuth(true);
      }
      return s;
    }

    private final class Sockets extends SSLSocketFactory {
      private final SSLSocketFactory f;

      Sockets(SSLSocketFactory f) {
        this.f = f;
      }

      @Override
      public String[] getDefaultCipherSuites() {
        return f.getDefaultCipherSuites();
      }

      @Override
      public String[] getSupportedCipherSuites() {
        return f.getSupportedCipherSuites();
      }

      @Override
      public Socket createSocket() throws IOException {
        return socket(f.createSocket());
      }

      @Override
      public Socket createSocket(Socket s, String host, int port, boolean autoClose)
          throws IOException {
        return socket(f.createSocket(s, host, port, autoClose));
      }

      @Override
      public Socket createSocket(Socket s, InputStream consumed, boolean autoClose)
          throws IOException {
        return socket(f.createSocket(s, consumed, autoClose));
      }

      @Override
      public Socket createSocket(String host, int port) throws IOException {
        return socket(f.createSocket(host, port));
      }

      @Override
      public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
          throws IOException {
        return socket(f.createSocket(host, port, localHost, localPort));
      }

      @Override
      public Socket createSocket(InetAddress host, int port) throws IOException {
        return socket(f.createSocket(host, port));
      }

      @Override
      public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
          throws IOException {
        return socket(f.createSocket(address, port, localAddress, localPort));
      }
    }

    private final class ServerSockets extends SSLServerSocketFactory {
      private final SSLServerSocketFactory f;

      ServerSockets(SSLServerSocketFactory f) {
        this.f = f;
      }

      @Override
      public String[] getDefaultCipherSuites() {
        return f.getDefaultCipherSuites();
      }

      @Override
      public String[] getSupportedCipherSuites() {
        return f.getSupportedCipherSuites();
      }

      @Override
      public ServerSocket createServerSocket() throws IOException {
        return serverSocket(f.createServerSocket());
      }

      @Override
      public ServerSocket createServerSocket(int port) throws IOException {
        return serverSocket(f.createServerSocket(port));
      }

      @Override
      public ServerSocket createServerSocket(int port, int backlog) throws IOException {
        return serverSocket(f.createServerSocket(port, backlog));
      }

      @Override
      public ServerSocket createServerSocket(int port, int backlog, InetAddress ifAddress)
          throws IOException {
        return serverSocket(f.createServerSocket(port, backlog, ifAddress));
      }
    }
  }
}
