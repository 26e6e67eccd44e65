package io.shoal.daemon.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shoal.agent.exec.Executor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The timing executor must forward everything, defaults included, or it cuts the real executor off. */
class TimedExecutorTest {
  @Test
  void overridesEveryExecutorMethod() throws Exception {
    Set<String> declared = Arrays.stream(TimedExecutor.class.getDeclaredMethods())
        .filter(m -> !Modifier.isPrivate(m.getModifiers())).map(TimedExecutorTest::signature).collect(Collectors.toSet());
    for (Method m : Executor.class.getMethods()) {
      if (Modifier.isStatic(m.getModifiers())) continue;
      assertThat(declared).as("TimedExecutor forwards " + m).contains(signature(m));
    }
    assertThat(new TimedExecutor(null, new SimpleMeterRegistry())).isNotNull();
  }

  private static String signature(Method m) {
    return m.getName() + Arrays.toString(m.getParameterTypes());
  }
}
