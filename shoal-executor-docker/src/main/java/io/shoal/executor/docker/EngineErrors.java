package io.shoal.executor.docker;

import com.github.dockerjava.api.exception.DockerException;
import io.shoal.agent.exec.ExecutorException;
import io.shoal.api.json.Json;
import java.util.function.Function;

/**
 * Turns docker-java failures into the agent's {@link ExecutorException}s carrying the engine's own
 * message: docker-java reports {@code Status 404: {"message":"No such image: x"}}, Swarm shows
 * {@code No such image: x}.
 */
final class EngineErrors {
  private EngineErrors() {}

  /** The engine's {@code message} from a docker-java exception, else its text. */
  static String message(Throwable t) {
    String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().trim();
    int brace = m.indexOf('{');
    if (t instanceof DockerException && brace >= 0) {
      try {
        var node = Json.lenient().readTree(m.substring(brace));
        if (node.hasNonNull("message")) {
          return node.get("message").asText();
        }
      } catch (Exception ignored) {
        // not JSON: keep the text as it is
      }
    }
    return m;
  }

  /** An engine reply (HTTP error) is the engine refusing; anything else is the engine being away. */
  static ExecutorException map(RuntimeException e, Function<String, ExecutorException> refused) {
    if (e instanceof ExecutorException ee) {
      return ee;
    }
    if (e instanceof DockerException de) {
      if (de.getHttpStatus() == 404) {
        return new ExecutorException.NotFound(message(de));
      }
      return refused.apply(message(de));
    }
    return new ExecutorException.Unavailable("docker engine unreachable: " + message(e), e);
  }
}
