package io.shoal.rpc;

import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.shoal.api.json.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * gRPC message (de)serialisation as JSON through Shoal's one mapper, instead of protobuf: the
 * records in io.shoal.api already have a tested JSON form, and hand-written method descriptors
 * need no protoc run. Reading is lenient (unknown fields skipped) so a newer peer can add fields.
 *
 * <p>Stateless and thread-safe.
 */
final class JsonMarshaller<T> implements MethodDescriptor.Marshaller<T> {
  private final Class<T> type;

  private JsonMarshaller(Class<T> type) {
    this.type = type;
  }

  static <T> JsonMarshaller<T> of(Class<T> type) {
    return new JsonMarshaller<>(type);
  }

  @Override
  public InputStream stream(T value) {
    return new ByteArrayInputStream(Json.bytes(value));
  }

  @Override
  public T parse(InputStream stream) {
    try (stream) {
      return Json.lenient().readValue(stream, type);
    } catch (IOException e) {
      throw Status.INTERNAL
          .withDescription("cannot read " + type.getSimpleName() + " from JSON: " + e.getMessage())
          .withCause(e)
          .asRuntimeException();
    }
  }
}
