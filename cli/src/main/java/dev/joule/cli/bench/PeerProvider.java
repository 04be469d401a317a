package dev.joule.cli.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Finds and opens a {@link Peer}; registered in {@code META-INF/services} by the module that
 * implements it.
 */
public interface PeerProvider {
  /** The peer's name, as given to {@code joule bench --peers}. */
  String name();

  /** Why the peer cannot run here (for example a package that is not installed, and how to install it), or empty. */
  Optional<String> unavailable();

  /** Loads the peer (its model included), ready to transcribe. */
  Peer open() throws IOException;

  /** Every provider on the class path, in class-path order. */
  static List<PeerProvider> all() {
    List<PeerProvider> out = new ArrayList<>();
    ServiceLoader.load(PeerProvider.class).forEach(out::add);
    return out;
  }
}
