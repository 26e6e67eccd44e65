/**
 * IPv4 address management, pure: blocks ({@link io.shoal.manager.ipam.Cidr}), a network's
 * subnet, gateway and VNI from the cluster's pool ({@link io.shoal.manager.ipam.NetworkIpam}), and
 * the free addresses of one network given what is taken ({@link io.shoal.manager.ipam.AddressSpace}).
 * No state of its own: what is taken is read from the store by the allocator each time.
 *
 * <pre>{@code
 * NetworkAllocation a = NetworkIpam.allocate("front", ipamJson, List.of("10.0.0.0/8"), 24, existing);
 * AddressSpace space = AddressSpace.of(a);
 * long addr = space.next(takenAddresses);  // -1 when the network is exhausted
 * }</pre>
 */
package io.shoal.manager.ipam;
