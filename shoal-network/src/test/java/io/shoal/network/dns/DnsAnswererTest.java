package io.shoal.network.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.network.ip.Cidr;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class DnsAnswererTest {
  private static final long SEED = 8L;
  private final RandomGenerator random = new SplittableRandom(SEED);

  /**
   * front (1 task) on net1 only; api (2 tasks, alias "backend") on net1 and net2; db (dnsrr, 2
   * tasks) on net2 only; secret on net3 (internal) only.
   */
  private static NameDirectory directory(Set<String> stopping) {
    var v = new ViewFixture("n1")
        .network("net1", "front-net", 1).network("net2", "back-net", 2).network("net3", "vault", 3, false, true)
        .vipService("front", "front", 2, List.of(), "net1")
        .vipService("api", "api", 3, List.of(), "net1", "net2")
        .dnsrrService("db", "db")
        .vipService("secret", "secret", 2, List.of(), "net3")
        .task("f1", "front", 1, "net1", 10, "n1")
        .task("a1", "api", 1, "net1", 20, "n1", "backend").task("a1", "api", 1, "net2", 20, "n1", "backend")
        .task("a2", "api", 2, "net1", 21, "n2", "backend").task("a2", "api", 2, "net2", 21, "n2", "backend")
        .task("d1", "db", 1, "net2", 30, "n1").task("d2", "db", 2, "net2", 31, "n2")
        .task("s1", "secret", 1, "net3", 40, "n1");
    return NameDirectory.of(v.build(), stopping);
  }

  private static Message query(String name, int type) throws Exception {
    Message q = Message.newQuery(Record.newRecord(Name.fromString(name, Name.root), type, DClass.IN));
    return q;
  }

  private Message ask(NameDirectory dir, String from, String name, int type) throws Exception {
    var d = DnsAnswerer.answer(query(name, type), Cidr.toInt(from), dir, random);
    assertThat(d).as("seed %d", SEED).isInstanceOf(DnsAnswerer.Reply.class);
    return ((DnsAnswerer.Reply) d).message();
  }

  private static List<String> addresses(Message m) {
    return m.getSection(Section.ANSWER).stream().map(r -> ((ARecord) r).getAddress().getHostAddress()).toList();
  }

  @Test
  void serviceNameIsItsVipOnTheCallersNetwork() throws Exception {
    NameDirectory dir = directory(Set.of());
    Message r = ask(dir, "10.0.1.10", "api", Type.A);
    assertThat(r.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(r.getHeader().getFlag(Flags.QR)).isTrue();
    assertThat(addresses(r)).containsExactly("10.0.1.3");
    assertThat(r.getSection(Section.ANSWER).get(0).getTTL()).isEqualTo(NameDirectory.VIP_TTL);
    // asked from net2 (db's task), the same service answers with its net2 VIP
    assertThat(addresses(ask(dir, "10.0.2.30", "api.", Type.A))).containsExactly("10.0.2.3");
    assertThat(addresses(ask(dir, "10.0.1.10", "API", Type.A))).as("names are case-insensitive").containsExactly("10.0.1.3");
  }

  @Test
  void tasksAndAliasesAndTaskNames() throws Exception {
    NameDirectory dir = directory(Set.of());
    assertThat(addresses(ask(dir, "10.0.1.10", "tasks.api", Type.A))).containsExactlyInAnyOrder("10.0.1.20", "10.0.1.21");
    assertThat(ask(dir, "10.0.1.10", "tasks.api", Type.A).getSection(Section.ANSWER).get(0).getTTL()).isZero();
    assertThat(addresses(ask(dir, "10.0.1.10", "backend", Type.A))).containsExactly("10.0.1.3");
    assertThat(addresses(ask(dir, "10.0.1.10", "tasks.backend", Type.A))).containsExactlyInAnyOrder("10.0.1.20", "10.0.1.21");
    assertThat(addresses(ask(dir, "10.0.1.10", "api.2.a2", Type.A))).containsExactly("10.0.1.21");
  }

  @Test
  void dnsrrAnswersTaskAddressesInChangingOrder() throws Exception {
    NameDirectory dir = directory(Set.of());
    Set<List<String>> orders = new HashSet<>();
    for (int i = 0; i < 40; i++) {
      List<String> a = addresses(ask(dir, "10.0.2.20", "db", Type.A));
      assertThat(a).containsExactlyInAnyOrder("10.0.2.30", "10.0.2.31");
      orders.add(a);
    }
    assertThat(orders).as("seed %d", SEED).hasSize(2);
  }

  @Test
  void namesAreScopedToTheCallersNetworks() throws Exception {
    NameDirectory dir = directory(Set.of());
    // front's task is on net1 only: db lives on net2, so it is not ours to answer
    assertThat(DnsAnswerer.answer(query("db", Type.A), Cidr.toInt("10.0.1.10"), dir, random)).isInstanceOf(DnsAnswerer.Forward.class);
    assertThat(DnsAnswerer.answer(query("db.back-net", Type.A), Cidr.toInt("10.0.1.10"), dir, random)).isInstanceOf(DnsAnswerer.Forward.class);
    // api's task is on both: it sees db, and picks a network with <name>.<network>
    assertThat(addresses(ask(dir, "10.0.1.20", "db", Type.A))).hasSize(2);
    assertThat(addresses(ask(dir, "10.0.1.20", "api.back-net", Type.A))).containsExactly("10.0.2.3");
    assertThat(addresses(ask(dir, "10.0.2.20", "api.front-net", Type.A))).containsExactly("10.0.1.3");
    // a container that is no task but sits on an attachable network sees that network
    assertThat(addresses(ask(dir, "10.0.2.200", "db", Type.A))).hasSize(2);
  }

  @Test
  void strangersAreRefusedAndInternalNetworksDoNotLeak() throws Exception {
    NameDirectory dir = directory(Set.of());
    assertThat(ask(dir, "192.168.5.5", "api", Type.A).getRcode()).isEqualTo(Rcode.REFUSED);
    assertThat(ask(dir, "10.0.3.40", "example.com", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(addresses(ask(dir, "10.0.3.40", "secret", Type.A))).containsExactly("10.0.3.2");
    assertThat(DnsAnswerer.answer(query("example.com", Type.A), Cidr.toInt("10.0.1.10"), dir, random)).isInstanceOf(DnsAnswerer.Forward.class);
  }

  @Test
  void otherTypesForKnownNamesAreEmptyNotForwarded() throws Exception {
    NameDirectory dir = directory(Set.of());
    Message r = ask(dir, "10.0.1.10", "api", Type.AAAA);
    assertThat(r.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(r.getSection(Section.ANSWER)).isEmpty();
    assertThat(ask(dir, "10.0.1.10", "tasks.api", Type.MX).getSection(Section.ANSWER)).isEmpty();
  }

  @Test
  void reverseLookups() throws Exception {
    NameDirectory dir = directory(Set.of());
    Message r = ask(dir, "10.0.1.10", ReverseMap.fromAddress("10.0.1.21").toString(), Type.PTR);
    assertThat(((PTRRecord) r.getSection(Section.ANSWER).get(0)).getTarget().toString()).isEqualTo("api.2.a2.front-net.");
    Message vip = ask(dir, "10.0.1.10", ReverseMap.fromAddress("10.0.1.3").toString(), Type.PTR);
    assertThat(((PTRRecord) vip.getSection(Section.ANSWER).get(0)).getTarget().toString()).isEqualTo("api.front-net.");
    assertThat(ask(dir, "10.0.1.10", ReverseMap.fromAddress("10.0.1.99").toString(), Type.PTR).getRcode()).isEqualTo(Rcode.NXDOMAIN);
    // someone else's network: not ours to say
    assertThat(DnsAnswerer.answer(query(ReverseMap.fromAddress("10.0.2.30").toString(), Type.PTR), Cidr.toInt("10.0.1.10"), dir, random))
        .isInstanceOf(DnsAnswerer.Forward.class);
  }

  @Test
  void aStoppingTaskLeavesTheAnswersButStillAsks() throws Exception {
    NameDirectory dir = directory(Set.of("a2", "d1"));
    assertThat(addresses(ask(dir, "10.0.1.10", "tasks.api", Type.A))).containsExactly("10.0.1.20");
    assertThat(DnsAnswerer.answer(query("api.2.a2", Type.A), Cidr.toInt("10.0.1.10"), dir, random)).isInstanceOf(DnsAnswerer.Forward.class);
    // the stopping task itself may still resolve names while it drains
    assertThat(addresses(ask(dir, "10.0.2.30", "db", Type.A))).containsExactly("10.0.2.31");
  }

  @Test
  void aServiceWithNoTasksKeepsItsVipButNotItsTaskList() throws Exception {
    NameDirectory dir = directory(Set.of("a1", "a2"));
    assertThat(addresses(ask(dir, "10.0.1.10", "api", Type.A))).containsExactly("10.0.1.3");
    assertThat(DnsAnswerer.answer(query("tasks.api", Type.A), Cidr.toInt("10.0.1.10"), dir, random)).isInstanceOf(DnsAnswerer.Forward.class);
  }

  @Test
  void malformedQueries() throws Exception {
    NameDirectory dir = directory(Set.of());
    Message q = query("api", Type.A);
    q.getHeader().setOpcode(org.xbill.DNS.Opcode.UPDATE);
    var d = (DnsAnswerer.Reply) DnsAnswerer.answer(q, Cidr.toInt("10.0.1.10"), dir, random);
    assertThat(d.message().getRcode()).isEqualTo(Rcode.NOTIMP);
    Message none = new Message();
    var e = (DnsAnswerer.Reply) DnsAnswerer.answer(none, Cidr.toInt("10.0.1.10"), dir, random);
    assertThat(e.message().getRcode()).isEqualTo(Rcode.FORMERR);
  }
}
