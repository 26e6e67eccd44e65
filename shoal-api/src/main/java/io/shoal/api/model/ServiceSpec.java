package io.shoal.api.model;

import java.util.List;
import java.util.Map;

/** What a user asks for: Docker's {@code ServiceSpec}. Written only by users (through the API). */
public record ServiceSpec(
    String name,
    Map<String, String> labels,
    TaskSpec taskTemplate,
    ServiceMode mode,
    UpdateConfig updateConfig,
    UpdateConfig rollbackConfig,
    List<NetworkAttachmentConfig> networks,
    EndpointSpec endpointSpec) {

  public ServiceSpec {
    labels = Labels.copy(labels);
    networks = Labels.list(networks);
  }

  public ServiceSpec withMode(ServiceMode m) {
    return new ServiceSpec(name, labels, taskTemplate, m, updateConfig, rollbackConfig, networks, endpointSpec);
  }

  public ServiceSpec withTaskTemplate(TaskSpec t) {
    return new ServiceSpec(name, labels, t, mode, updateConfig, rollbackConfig, networks, endpointSpec);
  }

  public ServiceSpec withEndpointSpec(EndpointSpec e) {
    return new ServiceSpec(name, labels, taskTemplate, mode, updateConfig, rollbackConfig, networks, e);
  }

  public ServiceSpec withUpdateConfig(UpdateConfig u) {
    return new ServiceSpec(name, labels, taskTemplate, mode, u, rollbackConfig, networks, endpointSpec);
  }

  public ServiceSpec withLabels(Map<String, String> l) {
    return new ServiceSpec(name, l, taskTemplate, mode, updateConfig, rollbackConfig, networks, endpointSpec);
  }

  public ServiceMode modeOrDefault() {
    return mode == null || mode.modesSet() == 0 ? ServiceMode.replicas(1) : mode;
  }

  public UpdateConfig updateConfigOrDefault() {
    return updateConfig == null ? UpdateConfig.DEFAULT : updateConfig;
  }

  public UpdateConfig rollbackConfigOrDefault() {
    return rollbackConfig == null ? UpdateConfig.DEFAULT : rollbackConfig;
  }

  public List<PortConfig> portsOrEmpty() {
    return endpointSpec == null ? List.of() : endpointSpec.portsOrEmpty();
  }
}
