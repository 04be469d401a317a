package dev.joule.bench.peers;

import dev.joule.cli.bench.Peer;
import dev.joule.cli.bench.PeerProvider;
import java.io.IOException;
import java.util.Optional;

/** The peers of {@code joule bench --peers}, registered in {@code META-INF/services}. */
public final class PeerProviders {
  private PeerProviders() {}

  /** pocketsphinx, when Debian's {@code pocketsphinx} and {@code pocketsphinx-en-us} are installed. */
  public static final class Pocketsphinx implements PeerProvider {
    @Override
    public String name() {
      return "pocketsphinx";
    }

    @Override
    public Optional<String> unavailable() {
      return PocketsphinxPeer.available() ? Optional.empty()
          : Optional.of(PocketsphinxPeer.BINARY + " or " + PocketsphinxPeer.MODEL + " is missing; run "
              + "benchmarks/install-peers.sh (apt-get install pocketsphinx pocketsphinx-en-us)");
    }

    @Override
    public Peer open() throws IOException {
      return new PocketsphinxPeer();
    }
  }

  /** Sphinx-4, a Maven dependency of this module: always available here. */
  public static final class Sphinx4 implements PeerProvider {
    @Override
    public String name() {
      return "sphinx4";
    }

    @Override
    public Optional<String> unavailable() {
      return Optional.empty();
    }

    @Override
    public Peer open() throws IOException {
      return new Sphinx4Peer();
    }
  }
}
