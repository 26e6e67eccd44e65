package io.shoal.network.vip;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.TreeMap;

/**
 * A test program run inside the test's network namespaces. Server: {@code NAME PORT} answers
 * every TCP connection and UDP datagram on PORT with "NAME PEER-ADDRESS". Client:
 * {@code --client tcp|udp HOST PORT COUNT} makes COUNT requests and prints each distinct answer
 * with how often it came ("answer=count"), one per line.
 */
public final class PeerEcho {
  public static void main(String[] args) throws Exception {
    if (args[0].equals("--client")) {
      client(args[1], args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]));
      return;
    }
    String name = args[0];
    int port = Integer.parseInt(args[1]);
    Thread udp = new Thread(() -> {
      try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("0.0.0.0", port))) {
        byte[] buf = new byte[512];
        while (true) {
          DatagramPacket p = new DatagramPacket(buf, buf.length);
          s.receive(p);
          byte[] out = (name + " " + p.getAddress().getHostAddress()).getBytes(StandardCharsets.UTF_8);
          s.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
        }
      } catch (Exception e) {
        e.printStackTrace();
      }
    });
    udp.setDaemon(true);
    udp.start();
    try (ServerSocket ss = new ServerSocket()) {
      ss.setReuseAddress(true);
      ss.bind(new InetSocketAddress("0.0.0.0", port));
      System.out.println("ready");
      System.out.flush();
      while (true) {
        try (Socket c = ss.accept()) {
          OutputStream o = c.getOutputStream();
          o.write((name + " " + c.getInetAddress().getHostAddress() + "\n").getBytes(StandardCharsets.UTF_8));
          o.flush();
        }
      }
    }
  }

  private static void client(String proto, String host, int port, int count) throws Exception {
    TreeMap<String, Integer> seen = new TreeMap<>();
    for (int i = 0; i < count; i++) {
      String answer;
      try {
        answer = proto.equals("udp") ? udp(host, port) : tcp(host, port);
      } catch (Exception e) {
        answer = "error " + e.getClass().getSimpleName();
      }
      seen.merge(answer, 1, Integer::sum);
    }
    seen.forEach((k, v) -> System.out.println(k + "=" + v));
  }

  private static String tcp(String host, int port) throws Exception {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 2000);
      s.setSoTimeout(2000);
      return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
    }
  }

  private static String udp(String host, int port) throws Exception {
    try (DatagramSocket s = new DatagramSocket()) {
      s.setSoTimeout(2000);
      byte[] q = "?".getBytes(StandardCharsets.UTF_8);
      s.send(new DatagramPacket(q, q.length, new InetSocketAddress(host, port)));
      byte[] buf = new byte[512];
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      s.receive(p);
      return new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
    }
  }
}
