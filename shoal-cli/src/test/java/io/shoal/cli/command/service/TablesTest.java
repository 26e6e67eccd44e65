package io.shoal.cli.command.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.model.Node;
import io.shoal.api.model.Service;
import io.shoal.cli.Fixtures;
import io.shoal.cli.command.node.NodeCommand;
import io.shoal.cli.format.Pretty;
import io.shoal.cli.format.Table;
import io.shoal.cli.format.TaskTable;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** T1: tables rendered from recorded daemon responses (fixtures shaped per moby's swagger). */
class TablesTest {
  static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");

  @Test
  void serviceLs() {
    assertThat(ServiceLs.render(ServiceLs.rows(Fixtures.services(), List.of()))).isEqualTo(
        "ID             NAME      MODE             REPLICAS               IMAGE                  PORTS\n"
      + "3j4cmxk1d7jy   agent     global           1/1                    shoal-test/busybox:1   \n"
      + "x2jbtdrmd9y3   migrate   replicated job   1/2 (2/5 completed)    shoal-test/busybox:1   \n"
      + "9mnpnzenvg8p   web       replicated       2/3 (max 2 per node)   shoal-test/busybox:1   *:8080->80/tcp\n");
  }

  @Test
  void serviceLsCountsTasksWhenTheDaemonSendsNoStatus() {
    List<Service> services = Fixtures.services().stream()
        .map(s -> s.withServiceStatus(null)).filter(s -> s.name().equals("web")).toList();
    assertThat(ServiceLs.rows(services, Fixtures.tasks()).get(0)).containsEntry("Replicas", "2/3 (max 2 per node)");
  }

  @Test
  void servicePsGroupsHistoryUnderItsSlot() {
    Map<String, String> services = Fixtures.services().stream().collect(Collectors.toMap(Service::id, Service::name));
    Map<String, String> nodes = Fixtures.nodes().stream().collect(Collectors.toMap(Node::id, Node::hostname));
    assertThat(TaskTable.render(TaskTable.rows(Fixtures.tasks(), services, nodes, NOW, false, false))).isEqualTo(
        "ID             NAME                              IMAGE                  NODE      DESIRED STATE   CURRENT STATE               ERROR                              PORTS\n"
      + "f6h2sl5x0w7z   agent.wun78h4i57us4ieeewqg3bhy3   shoal-test/busybox:1   shoal-1   Running         Running 3 hours ago                                            \n"
      + "kx1bq3gk3q3f   web.1                             shoal-test/busybox:1   shoal-1   Running         Running 5 seconds ago                                          *:5353->53/udp\n"
      + "a8mnl4vvvqz7    \\_ web.1                         shoal-test/busybox:1   shoal-1   Shutdown        Failed About a minute ago   \"task: non-zero exit (137)\"        \n"
      + "n0v5s8n2k4xq   web.2                             shoal-test/busybox:1   shoal-1   Running         Running About an hour ago                                      \n"
      + "p3dk1m8ahz0p   web.3                             shoal-test/busybox:1             Running         Pending 30 seconds ago      \"no suitable node (1 node not \u2026\"   \n");
  }

  @Test
  void servicePsNoTruncAndNoResolve() {
    List<Map<String, String>> rows = TaskTable.rows(Fixtures.tasks().subList(3, 4), Map.of(), Map.of(), NOW, true, true);
    assertThat(rows.get(0))
        .containsEntry("ID", "p3dk1m8ahz0p3e7qrbwsd9a1c")
        .containsEntry("Name", "9mnpnzenvg8p8tdbtq4wvbkcz.3")
        .containsEntry("Error", "\"no suitable node (1 node not available for new tasks)\"");
  }

  @Test
  void nodeLsMarksSelfAndLeader() {
    List<Map<String, String>> rows = NodeCommand.Ls.rows(Fixtures.nodes(), "wun78h4i57us4ieeewqg3bhy3");
    Table t = new Table(NodeCommand.Ls.HEADERS.values().toArray(new String[0]));
    rows.forEach(r -> t.row(List.copyOf(r.values())));
    assertThat(t.render()).isEqualTo(
        "ID                            HOSTNAME   STATUS    AVAILABILITY   MANAGER STATUS   ENGINE VERSION\n"
      + "zz0c1kq5v8m3x4n6b2l9p7r0t     shoal-0    Ready     Pause          Unreachable      28.0.1\n"
      + "wun78h4i57us4ieeewqg3bhy3 *   shoal-1    Ready     Active         Leader           28.0.1\n"
      + "bq3jf4xr1e3m1z6dqkc2o8ms0     shoal-2    Down      Drain                           28.0.1\n");
  }

  @Test
  void prettyService() {
    String out = Pretty.service(Fixtures.services().get(0));
    assertThat(out).contains("ID:\t\t9mnpnzenvg8p8tdbtq4wvbkcz\nName:\t\tweb\n")
        .contains("Service Mode:\tReplicated\n Replicas:\t3\n")
        .contains(" Constraints:\t[node.role==manager]\n")
        .contains(" Monitoring Period: 5s\n Max failure ratio: 0\n Update order:      stop-first\n")
        .contains(" Rollback order:    stop-first\n")
        .contains(" Args:\t\thttpd -f -p 80 \n Env:\t\tA=1\n")
        .contains(" Limits:\n  CPU:\t\t0.5\n  Memory:\t512MiB\n")
        .contains("RestartPolicy:\n Condition:\tany\n Delay:\t\t5s\n")
        .contains("Ports:\n PublishedPort = 8080\n  Protocol = tcp\n  TargetPort = 80\n  PublishMode = ingress\n");
  }

  @Test
  void prettyNode() {
    String out = Pretty.node(Fixtures.nodes().get(0));
    assertThat(out).contains("Hostname:\t\tshoal-1\n")
        .contains(" State:\t\t\tReady\n Availability:\t\tActive\n")
        .contains(" Leader:\t\tYes\n")
        .contains(" CPUs:\t\t\t2\n Memory:\t\t24GiB\n")
        .contains("Engine Version:\t\t28.0.1\n");
  }
}
