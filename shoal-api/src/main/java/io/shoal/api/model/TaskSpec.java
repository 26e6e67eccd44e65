package io.shoal.api.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** Docker's {@code TaskTemplate}: what each task of a service runs and under which policies. */
public record TaskSpec(
    JsonNode pluginSpec,
    ContainerSpec containerSpec,
    JsonNode networkAttachmentSpec,
    Resources resources,
    RestartPolicy restartPolicy,
    Placement placement,
    Long forceUpdate,
    String runtime,
    List<NetworkAttachmentConfig> networks,
    Driver logDriver) {

  public TaskSpec {
    networks = Labels.list(networks);
  }

  public static TaskSpec of(ContainerSpec c) {
    return new TaskSpec(null, c, null, null, null, null, null, null, null, null);
  }

  public TaskSpec withContainerSpec(ContainerSpec c) {
    return new TaskSpec(pluginSpec, c, networkAttachmentSpec, resources, restartPolicy, placement,
        forceUpdate, runtime, networks, logDriver);
  }

  public TaskSpec withRestartPolicy(RestartPolicy r) {
    return new TaskSpec(pluginSpec, containerSpec, networkAttachmentSpec, resources, r, placement,
        forceUpdate, runtime, networks, logDriver);
  }

  public TaskSpec withPlacement(Placement p) {
    return new TaskSpec(pluginSpec, containerSpec, networkAttachmentSpec, resources, restartPolicy, p,
        forceUpdate, runtime, networks, logDriver);
  }

  public TaskSpec withResources(Resources r) {
    return new TaskSpec(pluginSpec, containerSpec, networkAttachmentSpec, r, restartPolicy, placement,
        forceUpdate, runtime, networks, logDriver);
  }

  public TaskSpec withNetworks(List<NetworkAttachmentConfig> n) {
    return new TaskSpec(pluginSpec, containerSpec, networkAttachmentSpec, resources, restartPolicy,
        placement, forceUpdate, runtime, n, logDriver);
  }

  public RestartPolicy restartPolicyOrDefault() {
    return restartPolicy == null ? new RestartPolicy(null, null, null, null) : restartPolicy;
  }

  public Resources resourcesOrNone() {
    return resources == null ? Resources.NONE : resources;
  }

  public List<String> constraints() {
    return placement == null ? List.of() : Labels.orEmpty(placement.constraints());
  }
}
