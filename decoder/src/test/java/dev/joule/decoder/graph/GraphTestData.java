package dev.joule.decoder.graph;

import dev.joule.decoder.fst.Arc;
import dev.joule.decoder.fst.OpenFst;
import dev.joule.decoder.fst.Semiring;
import dev.joule.decoder.fst.SymbolTable;
import dev.joule.decoder.lexicon.Lexicon;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The toy lexicon, bigram and tokens under src/test/resources/graph, and path helpers. */
final class GraphTestData {
  private GraphTestData() {}

  static Path resource(String name) {
    try {
      return Path.of(GraphTestData.class.getResource("/graph/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Lexicon lexicon() throws IOException {
    return Lexicon.readCmudict(resource("toy.dict"), false);
  }

  static SymbolTable tokens() throws IOException {
    return SymbolTable.read(resource("tokens.txt"));
  }

  /** A linear acceptor over the given labels (weight 0). */
  static OpenFst linear(List<Integer> labels) {
    OpenFst f = OpenFst.create(Semiring.TROPICAL);
    f.addStates(labels.size() + 1);
    f.setStart(0);
    for (int i = 0; i < labels.size(); i++) {
      f.addArc(i, new Arc(labels.get(i), labels.get(i), 0f, i + 1));
    }
    f.setFinal(labels.size(), 0f);
    return f;
  }

  /** The single path of a shortest-path result: non-epsilon output labels, and the total cost. */
  record Path1(List<Integer> outputs, double cost) {}

  static Path1 readPath(OpenFst path) {
    List<Integer> out = new ArrayList<>();
    double cost = 0;
    int s = path.start();
    if (s < 0) {
      return null;
    }
    while (true) {
      List<Arc> arcs = path.arcs(s);
      if (arcs.isEmpty()) {
        return new Path1(out, cost + path.finalWeight(s));
      }
      Arc a = arcs.get(0);
      if (a.olabel() != 0) {
        out.add(a.olabel());
      }
      cost += a.weight();
      s = a.nextState();
    }
  }
}
