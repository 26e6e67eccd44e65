package io.shoal.manager.allocator;

import io.shoal.api.model.Network;
import io.shoal.api.model.NetworkAttachment;
import io.shoal.manager.ipam.AddressSpace;
import io.shoal.manager.ipam.Cidr;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A task's address on each network its service is attached to, pure: the next free address of
 * each network (see {@link AddressSpace}), all or nothing — a task that cannot get every address
 * gets none and waits, naming the network that is full.
 */
final class TaskAddresses {
  private TaskAddresses() {}

  /** Either the attachments, or the network that has no address left (then nothing is taken). */
  record Result(List<NetworkAttachment> attachments, Network exhausted) {}

  static Result assign(List<EndpointAllocator.Attachment> wanted, Function<String, Network> networks, TakenAddresses taken) {
    List<NetworkAttachment> out = new ArrayList<>();
    for (EndpointAllocator.Attachment w : wanted) {
      Network n = networks.apply(w.networkId());
      if (n == null) continue; // gone since the service was written: nothing to attach to
      long a = n.allocation() == null ? -1 : AddressSpace.of(n.allocation()).next(taken.of(n.id()));
      if (a < 0) {
        for (NetworkAttachment done : out) taken.of(done.networkID()).remove(Cidr.address(done.address()));
        return new Result(null, n);
      }
      taken.of(n.id()).add(a);
      out.add(new NetworkAttachment(n.id(), List.of(AddressSpace.of(n.allocation()).withPrefix(a)), w.aliases()));
    }
    return new Result(out, null);
  }
}
