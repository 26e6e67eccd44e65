package io.shoal.gossip;

/**
 * What is piggybacked on every packet: a membership change (SWIM's alive / suspect / dead with
 * the member's incarnation) or a record change.
 */
public sealed interface Update {
  /** The key under which a newer broadcast replaces an older one in the queue. */
  String queueKey();

  /** {@code id} is alive at {@code address} as of {@code incarnation} (only it raises that). */
  record Alive(String id, String address, long incarnation) implements Update {
    public String queueKey() {
      return "m:" + id;
    }
  }

  /** {@code from} suspects {@code id} at {@code incarnation}. */
  record Suspect(String id, long incarnation, String from) implements Update {
    public String queueKey() {
      return "m:" + id;
    }
  }

  /** {@code from} confirms {@code id} dead at {@code incarnation}. */
  record Dead(String id, long incarnation, String from) implements Update {
    public String queueKey() {
      return "m:" + id;
    }
  }

  record RecordChange(GossipRecord record) implements Update {
    public String queueKey() {
      return "r:" + record.id();
    }
  }
}
