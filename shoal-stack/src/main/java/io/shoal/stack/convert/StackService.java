package io.shoal.stack.convert;

import io.shoal.api.model.ServiceSpec;
import java.util.List;

/**
 * A service of the stack: its compose name ({@code web}), the spec as docker would send it
 * ({@code spec.name()} is {@code <stack>_web}) and what it waits for before being created.
 */
public record StackService(String composeName, ServiceSpec spec, List<Dependency> dependsOn) {
  public StackService {
    dependsOn = List.copyOf(dependsOn);
  }
}
