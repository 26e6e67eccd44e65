package io.shoal.api.model;

/**
 * An object's version in the store: the raft index of the write that last changed it. Clients
 * send it back with an update ({@code ?version=N}) so a stale read cannot overwrite a newer write.
 */
public record Version(long index) {
  public static final Version ZERO = new Version(0);
}
