package io.shoal.api.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonMappingException;

/**
 * A request body carried a field the Docker Engine API defines for its type but Shoal does not
 * honour: the request is refused (a 400), never half done. Thrown by {@link Json#strict()}.
 */
public final class UnsupportedFieldException extends JsonMappingException {
  private final String field;

  UnsupportedFieldException(JsonParser p, String field, Class<?> type) {
    super(p, "field \"" + field + "\" of the Docker Engine API's " + type.getSimpleName() + " is not supported by Shoal");
    this.field = field;
  }

  /** The field as the client spelled it. */
  public String field() {
    return field;
  }
}
