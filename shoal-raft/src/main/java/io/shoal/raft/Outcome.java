package io.shoal.raft;

import io.shoal.api.error.ShoalException;
import java.nio.charset.StandardCharsets;
import org.apache.ratis.protocol.Message;

/**
 * What applying an entry did, carried back to the proposer in the raft reply:
 * {@code "<index> ok"} or {@code "<index> err <SimpleClassName>\n<message>"}.
 *
 * <p>Why a message and not a failed apply future: Ratis would wrap the exception in a
 * StateMachineException and lose its type. The index travels along so a follower can wait for its
 * own store to reach it (read-your-writes) without relying on the reply's log index field.
 */
record Outcome(long index, ShoalException error) {

  static Message ok(long index) {
    return Message.valueOf(index + " ok");
  }

  static Message failed(long index, RuntimeException e) {
    String type = e instanceof ShoalException ? e.getClass().getSimpleName() : "Internal";
    String msg = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
    return Message.valueOf(index + " err " + type + "\n" + msg);
  }

  static Outcome parse(Message m) {
    String s = m.getContent().toString(StandardCharsets.UTF_8);
    int sp = s.indexOf(' ');
    if (sp < 0) throw new IllegalArgumentException("not a raft outcome: " + s);
    long index = Long.parseLong(s.substring(0, sp));
    if (s.startsWith("ok", sp + 1)) return new Outcome(index, null);
    int nl = s.indexOf('\n');
    String type = s.substring(sp + 5, nl < 0 ? s.length() : nl);
    String msg = nl < 0 ? "" : s.substring(nl + 1);
    ShoalException e = switch (type) {
      case "NotFound" -> new ShoalException.NotFound(msg);
      case "InvalidSpec" -> new ShoalException.InvalidSpec(msg);
      case "NameConflict" -> new ShoalException.NameConflict(msg);
      case "SequenceConflict" -> new ShoalException.SequenceConflict(msg);
      case "NotLeader" -> new ShoalException.NotLeader(msg);
      case "NotAManager" -> new ShoalException.NotAManager(msg);
      case "Forbidden" -> new ShoalException.Forbidden(msg);
      default -> new ShoalException.Unavailable("applying the write failed: " + msg);
    };
    return new Outcome(index, e);
  }
}
