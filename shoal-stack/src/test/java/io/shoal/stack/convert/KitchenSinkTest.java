package io.shoal.stack.convert;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.model.ContainerSpec;
import io.shoal.api.model.ServiceSpec;
import io.shoal.stack.Corpus;
import io.shoal.stack.load.ComposeProject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A valid file using many keys in their rarer forms: loads, warns, and maps the Swarm ones. */
class KitchenSinkTest {
  private final ComposeProject project = Corpus.load(Map.of("HOME", "/home/u", "SESSION_SECRET", "s"), "kitchen-sink.yml");
  private final StackSpecs specs = StackConverter.convert("ks", project);
  private final ServiceSpec all = specs.service("all").orElseThrow().spec();
  private final ContainerSpec c = all.taskTemplate().containerSpec();

  @Test
  void loadsWithDockersWarnings() {
    assertThat(project.warnings()).containsExactly(
        "Ignoring unsupported options: build, cgroup_parent, devices, domainname, external_links, ipc, links,"
            + " mac_address, network_mode, pid, privileged, restart, security_opt, shm_size, userns_mode",
        "Ignoring deprecated options:\n\ncontainer_name: Setting the container name is not supported.\n\n"
            + "expose: Exposing ports is unnecessary - services on the same network can access each other's"
            + " containers on any port.");
  }

  @Test
  void mapsTheSwarmKeys() {
    assertThat(c.command()).containsExactly("/code/entrypoint.sh", "-p", "3000");
    assertThat(c.args()).containsExactly("bundle", "exec", "thin", "-p", "3000");
    assertThat(c.env()).containsExactly("RACK_ENV=development", "SESSION_SECRET=s", "SHOW=true");
    assertThat(c.hosts()).containsExactly("162.242.195.82 somehost", "50.31.209.229 otherhost");
    assertThat(c.dnsConfig()).isEqualTo(new ContainerSpec.DnsConfig(java.util.List.of("8.8.8.8"),
        java.util.List.of("dc1.example.com", "dc2.example.com"), java.util.List.of("use-vc")));
    assertThat(c.capabilityAdd()).containsExactly("CAP_SYS_ADMIN");
    assertThat(c.capabilityDrop()).containsExactly("CAP_NET_ADMIN");
    assertThat(c.sysctls()).containsExactly(Map.entry("net.core.somaxconn", "1024"));
    assertThat(c.oomScoreAdj()).isEqualTo(-500L);
    assertThat(c.labels()).containsEntry("com.example.number", "42");
    assertThat(c.configs().get(0).file().mode()).isEqualTo(0440);
    assertThat(c.configs().get(0).configName()).isEqualTo("shared_cfg");
    assertThat(c.secrets().get(0).secretName()).isEqualTo("sec");
    assertThat(c.mounts()).extracting(m -> m.type() + " " + m.source() + " " + m.target()).containsExactly(
        "volume null /var/lib/mysql",
        "bind /opt/data /var/lib/mysql",
        "bind " + Corpus.path("") + " /code",
        "bind " + Corpus.path("") + "/static /var/www/html",
        "bind /home/u/configs /etc/configs",
        "volume ks_datavolume /var/lib/volume",
        "bind " + Corpus.path("") + "/opt /opt/cached",
        "tmpfs null /opt/tmpfs",
        "tmpfs null /run",
        "tmpfs null /tmp");
    assertThat(all.endpointSpec().ports()).hasSize(1 + 5 + 1 + 2 + 1 + 1 + 11 + 1);
    assertThat(all.endpointSpec().mode()).isEqualTo("dnsrr");
    assertThat(all.taskTemplate().resources().limits().nanoCPUs()).isEqualTo(1_000_000L);
    assertThat(all.taskTemplate().resources().limits().pids()).isEqualTo(100L);
    assertThat(all.taskTemplate().resources().reservations().genericResources().toString())
        .isEqualTo("[{\"DiscreteResourceSpec\":{\"Kind\":\"gpu\",\"Value\":2}}]");
    assertThat(all.taskTemplate().networks()).extracting(n -> n.target() + " " + n.aliases() + " " + n.driverOpts())
        .containsExactly("ks_other-network [all] null", "ks_some-network [alias1, alias3, all] {driveropt1=optval1}",
            "my-cool-network [all] null");
    assertThat(specs.externals()).extracting(Object::toString)
        .containsExactly("network my-cool-network", "secret sec", "config shared_cfg");
    assertThat(specs.networks()).extracting(n -> n.name()).containsExactly("ks_default", "ks_other-network", "ks_some-network");
    assertThat(specs.networks().get(1).ipam().toString()).isEqualTo(
        "{\"Driver\":\"overlay\",\"Config\":[{\"Subnet\":\"172.28.0.0/16\"},{\"Subnet\":\"2001:3984:3989::/64\"}]}");
    assertThat(all.taskTemplate().restartPolicy().maxAttempts()).isEqualTo(3L);
    assertThat(all.rollbackConfig().maxFailureRatio()).isEqualTo(0.3);
  }
}
