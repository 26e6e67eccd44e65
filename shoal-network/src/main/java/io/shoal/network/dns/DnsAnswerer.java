package io.shoal.network.dns;

import io.shoal.network.ip.Cidr;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * What the node's resolver says to one query, pure: a reply built from the {@link NameDirectory}
 * for the caller's networks, or "forward this to the host's resolvers".
 *
 * <ul>
 *   <li>A: the name's addresses; a dnsrr service's and {@code tasks.<service>}'s in a random
 *       order each time (the only balancing dnsrr has), a VIP as it is.
 *   <li>AAAA or any other type for a name we know: an empty NOERROR answer (Docker's too), so
 *       the caller does not go on to ask the outside world about a service name.
 *   <li>PTR for an address on a caller's network: {@code <task>.<network>} or
 *       {@code <service>.<network>} for a VIP; NXDOMAIN for an unknown address there.
 *   <li>Anything else is forwarded, unless every network of the caller is internal (NXDOMAIN:
 *       an internal network has no way out) or the caller is on none of this node's networks
 *       (REFUSED: the resolver is not open to strangers).
 * </ul>
 */
public final class DnsAnswerer {
  private DnsAnswerer() {}

  /** The decision for one query. */
  public sealed interface Decision {}

  /** Send this message back. */
  public record Reply(Message message) implements Decision {}

  /** Ask the host's resolvers and relay their answer. */
  public record Forward() implements Decision {}

  public static Decision answer(Message query, int source, NameDirectory dir, RandomGenerator random) {
    Record question = query.getQuestion();
    if (query.getHeader().getOpcode() != Opcode.QUERY) return new Reply(error(query, Rcode.NOTIMP));
    if (question == null || query.getHeader().getCount(Section.QUESTION) != 1) return new Reply(error(query, Rcode.FORMERR));
    List<String> scope = dir.scope(source);
    if (scope.isEmpty()) return new Reply(error(query, Rcode.REFUSED));
    Name qname = question.getName();
    int type = question.getType();
    if (question.getDClass() != DClass.IN && question.getDClass() != DClass.ANY) return forwardOrNx(query, dir, scope);

    if (type == Type.PTR) {
      Optional<Integer> addr = reverseAddress(qname);
      if (addr.isPresent()) {
        Optional<String> target = dir.reverse(addr.get(), scope);
        if (target.isPresent()) {
          Message r = reply(query, Rcode.NOERROR);
          r.addRecord(new PTRRecord(qname, DClass.IN, NameDirectory.TASK_TTL, absolute(target.get())), Section.ANSWER);
          return new Reply(r);
        }
        if (dir.inScopeSubnet(addr.get(), scope)) return new Reply(reply(query, Rcode.NXDOMAIN));
      }
      return forwardOrNx(query, dir, scope);
    }

    Optional<NameDirectory.Hit> hit = dir.lookup(qname.toString(), scope);
    if (hit.isEmpty()) return forwardOrNx(query, dir, scope);
    Message r = reply(query, Rcode.NOERROR);
    if (type == Type.A || type == Type.ANY) {
      List<Integer> addrs = new ArrayList<>(hit.get().addresses());
      if (hit.get().perTask()) shuffle(addrs, random);
      for (int a : addrs) r.addRecord(new ARecord(qname, DClass.IN, hit.get().ttl(), Cidr.toInet(a)), Section.ANSWER);
    }
    return new Reply(r);
  }

  private static Decision forwardOrNx(Message query, NameDirectory dir, List<String> scope) {
    return dir.allInternal(scope) ? new Reply(reply(query, Rcode.NXDOMAIN)) : new Forward();
  }

  /** {@code 7.1.0.10.in-addr.arpa.} → 10.0.1.7; anything else (IPv6, partial) → empty. */
  static Optional<Integer> reverseAddress(Name name) {
    String s = name.toString().toLowerCase(java.util.Locale.ROOT);
    String suffix = ".in-addr.arpa.";
    if (!s.endsWith(suffix)) return Optional.empty();
    String[] p = s.substring(0, s.length() - suffix.length()).split("\\.");
    if (p.length != 4) return Optional.empty();
    try {
      return Optional.of(Cidr.toInt(p[3] + "." + p[2] + "." + p[1] + "." + p[0]));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static Name absolute(String name) {
    try {
      return Name.fromString(name, Name.root);
    } catch (TextParseException e) {
      throw new IllegalArgumentException("not a DNS name: " + name, e);
    }
  }

  private static void shuffle(List<Integer> l, RandomGenerator random) {
    for (int i = l.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      Integer t = l.get(i);
      l.set(i, l.get(j));
      l.set(j, t);
    }
  }

  static Message reply(Message query, int rcode) {
    Message r = new Message(query.getHeader().getID());
    r.getHeader().setFlag(Flags.QR);
    r.getHeader().setFlag(Flags.RA);
    if (query.getHeader().getFlag(Flags.RD)) r.getHeader().setFlag(Flags.RD);
    r.getHeader().setRcode(rcode);
    if (query.getQuestion() != null) r.addRecord(query.getQuestion(), Section.QUESTION);
    return r;
  }

  static Message error(Message query, int rcode) {
    return reply(query, rcode);
  }
}
