package io.shoal.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.CallOptions;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.shoal.api.dispatch.Dispatcher;
import io.shoal.api.error.ShoalException;
import io.shoal.ca.CaException;
import io.shoal.ca.NodeIdentity;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** T3: a typed exception thrown by a handler is rethrown by the client as the same type and message. */
class ErrorsTest extends RpcTestBase {

  static Stream<Arguments> errors() {
    return Stream.of(
        Arguments.of(new ShoalException.NotFound("node abc not found"), Status.Code.NOT_FOUND),
        Arguments.of(new ShoalException.InvalidSpec("bad raft address"), Status.Code.INVALID_ARGUMENT),
        Arguments.of(new ShoalException.NameConflict("name in use"), Status.Code.ALREADY_EXISTS),
        Arguments.of(new ShoalException.SequenceConflict("update out of sequence"), Status.Code.ABORTED),
        Arguments.of(new ShoalException.NotLeader("not the leader"), Status.Code.UNAVAILABLE),
        Arguments.of(new ShoalException.Unavailable("no quorum"), Status.Code.UNAVAILABLE),
        Arguments.of(new ShoalException.NotAManager(), Status.Code.UNAVAILABLE),
        Arguments.of(new ShoalException.Forbidden("cannot remove the last manager"), Status.Code.PERMISSION_DENIED),
        Arguments.of(new Dispatcher.SessionExpired("session gone"), Status.Code.FAILED_PRECONDITION),
        Arguments.of(new CaException.InvalidToken("too short"), Status.Code.INVALID_ARGUMENT),
        Arguments.of(new CaException.UnknownToken("rotated"), Status.Code.PERMISSION_DENIED),
        Arguments.of(new CaException.DigestMismatch("aa", "bb"), Status.Code.FAILED_PRECONDITION),
        Arguments.of(new CaException.InvalidCertificate("expired"), Status.Code.INVALID_ARGUMENT),
        Arguments.of(new CaException.InvalidCsr("no signature"), Status.Code.INVALID_ARGUMENT),
        Arguments.of(new CaException.InvalidExpiry("minimum is 1h"), Status.Code.INVALID_ARGUMENT),
        Arguments.of(new CaException.CannotSign("no key here"), Status.Code.UNAVAILABLE),
        Arguments.of(new CaException.Storage("disk full", null), Status.Code.INTERNAL),
        Arguments.of(new CaException.Crypto("broken JDK", null), Status.Code.INTERNAL));
  }

  private final AtomicReference<RuntimeException> toThrow = new AtomicReference<>();

  private ClusterServer throwing() {
    return server(pki.manager("manager1"), b -> b.managerOps(new ManagerOps() {
      public void addManager(NodeIdentity caller, String nodeId, String raftAddr) {
        throw toThrow.get();
      }

      public void removeManager(NodeIdentity caller, String nodeId) {
        throw toThrow.get();
      }
    }).leaderAddress(() -> "10.0.0.1:2377"));
  }

  @ParameterizedTest
  @MethodSource("errors")
  void roundTrips(RuntimeException thrown, Status.Code code) {
    toThrow.set(thrown);
    ClusterServer m = throwing();
    ClusterChannels ch = channels(pki.manager("manager2"));

    StatusRuntimeException wire = assertThrows(StatusRuntimeException.class, () ->
        ClientCalls.blockingUnaryCall(ch.toManager(addr(m)), ClusterProtocol.REMOVE_MANAGER,
            CallOptions.DEFAULT, new ClusterProtocol.RemoveManagerRequest("x")));
    assertThat(wire.getStatus().getCode()).isEqualTo(code);
    assertThat(RpcErrors.leaderHint(wire)).isEqualTo("10.0.0.1:2377");

    RuntimeException back = RpcErrors.fromStatus(wire, addr(m));
    assertThat(back).isExactlyInstanceOf(thrown.getClass()).hasMessage(thrown.getMessage());
    if (thrown instanceof CaException.DigestMismatch dm) {
      assertThat(((CaException.DigestMismatch) back).expected()).isEqualTo(dm.expected());
      assertThat(((CaException.DigestMismatch) back).actual()).isEqualTo(dm.actual());
    }
  }

  @Test
  void theClientsThrowTheTypedErrorDirectly() {
    toThrow.set(new ShoalException.NotFound("node nope not found"));
    ClusterServer m = throwing();
    ManagerClient client = new ManagerClient(channels(pki.manager("manager2")), List.of(addr(m)));

    assertThatThrownBy(() -> client.removeManager("nope"))
        .isExactlyInstanceOf(ShoalException.NotFound.class)
        .hasMessage("node nope not found");
  }

  @Test
  void aBugOnTheServerIsAnRpcExceptionWithItsText() {
    toThrow.set(new IllegalStateException("boom"));
    ClusterServer m = throwing();
    ManagerClient client = new ManagerClient(channels(pki.manager("manager2")), List.of(addr(m)));

    assertThatThrownBy(() -> client.addManager("n", "a:1"))
        .isInstanceOfSatisfying(RpcException.class, e -> assertThat(e.code()).isEqualTo(Status.Code.INTERNAL))
        .hasMessage(addr(m) + " answered INTERNAL: boom");
  }
}
