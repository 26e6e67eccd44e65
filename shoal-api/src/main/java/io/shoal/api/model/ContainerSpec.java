package io.shoal.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/** What runs in a task's container: Docker's {@code TaskTemplate.ContainerSpec}. */
public record ContainerSpec(
    String image,
    Map<String, String> labels,
    List<String> command,
    List<String> args,
    String hostname,
    List<String> env,
    String dir,
    String user,
    List<String> groups,
    JsonNode privileges,
    @JsonProperty("TTY") Boolean tty,
    Boolean openStdin,
    Boolean readOnly,
    List<Mount> mounts,
    String stopSignal,
    Long stopGracePeriod,
    HealthConfig healthCheck,
    List<String> hosts,
    @JsonProperty("DNSConfig") DnsConfig dnsConfig,
    List<SecretReference> secrets,
    Long oomScoreAdj,
    List<ConfigReference> configs,
    String isolation,
    Boolean init,
    Map<String, String> sysctls,
    List<String> capabilityAdd,
    List<String> capabilityDrop,
    List<Ulimit> ulimits) {

  public ContainerSpec {
    labels = Labels.copy(labels);
    command = Labels.list(command);
    args = Labels.list(args);
    env = Labels.list(env);
    groups = Labels.list(groups);
    mounts = Labels.list(mounts);
    hosts = Labels.list(hosts);
    secrets = Labels.list(secrets);
    configs = Labels.list(configs);
    sysctls = Labels.mapOrNull(sysctls);
    capabilityAdd = Labels.list(capabilityAdd);
    capabilityDrop = Labels.list(capabilityDrop);
    ulimits = Labels.list(ulimits);
  }

  /** Just an image; everything else absent. */
  public static ContainerSpec ofImage(String image) {
    return new ContainerSpec(image, null, null, null, null, null, null, null, null, null, null,
        null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
        null, null);
  }

  public ContainerSpec withImage(String v) {
    return new ContainerSpec(v, labels, command, args, hostname, env, dir, user, groups, privileges,
        tty, openStdin, readOnly, mounts, stopSignal, stopGracePeriod, healthCheck, hosts, dnsConfig,
        secrets, oomScoreAdj, configs, isolation, init, sysctls, capabilityAdd, capabilityDrop,
        ulimits);
  }

  public ContainerSpec withCommand(List<String> cmd, List<String> a) {
    return new ContainerSpec(image, labels, cmd, a, hostname, env, dir, user, groups, privileges,
        tty, openStdin, readOnly, mounts, stopSignal, stopGracePeriod, healthCheck, hosts, dnsConfig,
        secrets, oomScoreAdj, configs, isolation, init, sysctls, capabilityAdd, capabilityDrop,
        ulimits);
  }

  public ContainerSpec withEnv(List<String> v) {
    return new ContainerSpec(image, labels, command, args, hostname, v, dir, user, groups, privileges,
        tty, openStdin, readOnly, mounts, stopSignal, stopGracePeriod, healthCheck, hosts, dnsConfig,
        secrets, oomScoreAdj, configs, isolation, init, sysctls, capabilityAdd, capabilityDrop,
        ulimits);
  }

  public ContainerSpec withHealthCheck(HealthConfig v) {
    return new ContainerSpec(image, labels, command, args, hostname, env, dir, user, groups,
        privileges, tty, openStdin, readOnly, mounts, stopSignal, stopGracePeriod, v, hosts,
        dnsConfig, secrets, oomScoreAdj, configs, isolation, init, sysctls, capabilityAdd,
        capabilityDrop, ulimits);
  }

  public ContainerSpec withStop(String signal, Long gracePeriodNanos) {
    return new ContainerSpec(image, labels, command, args, hostname, env, dir, user, groups,
        privileges, tty, openStdin, readOnly, mounts, signal, gracePeriodNanos, healthCheck, hosts,
        dnsConfig, secrets, oomScoreAdj, configs, isolation, init, sysctls, capabilityAdd,
        capabilityDrop, ulimits);
  }

  public ContainerSpec withMounts(List<Mount> v) {
    return new ContainerSpec(image, labels, command, args, hostname, env, dir, user, groups,
        privileges, tty, openStdin, readOnly, v, stopSignal, stopGracePeriod, healthCheck, hosts,
        dnsConfig, secrets, oomScoreAdj, configs, isolation, init, sysctls, capabilityAdd,
        capabilityDrop, ulimits);
  }

  public ContainerSpec withSecretsAndConfigs(List<SecretReference> s, List<ConfigReference> c) {
    return new ContainerSpec(image, labels, command, args, hostname, env, dir, user, groups,
        privileges, tty, openStdin, readOnly, mounts, stopSignal, stopGracePeriod, healthCheck,
        hosts, dnsConfig, s, oomScoreAdj, c, isolation, init, sysctls, capabilityAdd,
        capabilityDrop, ulimits);
  }

  /** DNS settings for the container. */
  public record DnsConfig(List<String> nameservers, List<String> search, List<String> options) {
    public DnsConfig {
      nameservers = Labels.list(nameservers);
      search = Labels.list(search);
      options = Labels.list(options);
    }
  }

  /** A resource limit, e.g. {@code nofile}. */
  public record Ulimit(String name, Long soft, Long hard) {}
}
