package dev.joule.decoder.search;

/**
 * Prunes the tokens and links of finished frames during decoding, so the lattice of a long
 * utterance stays proportional to what the lattice beam keeps rather than to what the search
 * beam lets through (Kaldi's PruneActiveTokens). One pruner per decoding session: it remembers
 * how far it pruned before.
 *
 * <p>Every token of the current (frontier) frame is kept and counts as "best" (extra cost 0);
 * an earlier token's extra cost is how much worse the best path through it to some frontier
 * token is than that frontier token's own best path:
 * extra(s) = min over links s→d of (α(s) + cost − α(d) + extra(d)). Tokens and links with extra
 * cost above the lattice beam are dropped. The best path into every frontier token has extra
 * cost 0, and the final best path uses the best prefix into the frontier token it passes, so
 * the 1-best result is unchanged by pruning; n-best lists and lattices lose only paths that were
 * worse than the lattice beam at some point, as in Kaldi.
 *
 * <p>Incremental: frames are revisited from the frontier backwards, and the walk stops at the
 * first frame, among those pruned before, where no token's extra cost changed (none died
 * either): a frame's extra costs depend only on the next frame's and on α, which is final for
 * finished frames, so every earlier frame would come out exactly as it is. Only the frames
 * visited are compacted. Long utterances thus cost time proportional to the frames whose
 * pruning really changes, instead of the whole lattice at every pruning, and the result is the
 * same as pruning everything from scratch.
 */
class LatticePruner {
  /** The frontier frame at the previous pruning; frames from there on have not been pruned yet. */
  private int prunedFront;

  /** Prunes {@code lat} in place; {@code frontier} maps the frontier frame's states to tokens and is updated. */
  void prune(TokenLattice lat, float latticeBeam, StateMap frontier) {
    int front = lat.frames;
    for (int tok = lat.frameBegin(front); tok < lat.frameEnd(front); tok++) {
      lat.tokenExtra[tok] = 0;
    }
    int lowest = front;
    for (int f = front - 1; f >= 0; f--) {
      boolean changed = pruneFrame(lat, f, latticeBeam);
      lowest = f;
      if (!changed && f < prunedFront) {
        break;
      }
    }
    prunedFront = front;
    compact(lat, lowest, latticeBeam, frontier);
  }

  /**
   * Recomputes the extra costs of frame {@code f}'s tokens from their links (the next frame's
   * extra costs are final) and marks tokens beyond the beam dead (+∞; the start token never
   * dies). Returns whether any token's extra cost is not exactly what it was (a death is a change
   * to +∞).
   */
  private static boolean pruneFrame(TokenLattice lat, int f, float latticeBeam) {
    int begin = lat.frameBegin(f);
    int end = lat.frameEnd(f);
    int linkBegin = lat.linkStart[f];
    int linkEnd = lat.linkEnd(f);
    double[] extra = new double[end - begin];
    java.util.Arrays.fill(extra, Double.POSITIVE_INFINITY);
    for (int l = linkBegin; l < linkEnd; l++) {
      if (lat.linkIlabel[l] != 0) {
        int s = lat.linkFrom[l] - begin;
        extra[s] = Math.min(extra[s], linkExtra(lat, l, lat.tokenExtra[lat.linkTo[l]]));
      }
    }
    // Epsilon links stay within the frame and form no cycle: relax them until nothing improves.
    // They were made sources first, so going backwards settles most chains in one sweep.
    for (boolean improved = true; improved; ) {
      improved = false;
      for (int l = linkEnd - 1; l >= linkBegin; l--) {
        if (lat.linkIlabel[l] == 0) {
          int s = lat.linkFrom[l] - begin;
          double e = linkExtra(lat, l, extra[lat.linkTo[l] - begin]);
          if (e < extra[s]) {
            extra[s] = e;
            improved = true;
          }
        }
      }
    }
    boolean changed = false;
    for (int tok = begin; tok < end; tok++) {
      double e = extra[tok - begin];
      if (tok == 0) {
        // The start token stays even when no path from it survives (the lattice is then empty
        // but still has its start): a finite mark, so that compaction keeps it.
        e = Math.min(e, Double.MAX_VALUE);
      } else if (e > latticeBeam) {
        e = Double.POSITIVE_INFINITY;
      }
      if (lat.tokenExtra[tok] != e) {
        changed = true;
        lat.tokenExtra[tok] = e;
      }
    }
    return changed;
  }

  /**
   * Drops dead tokens and the links that touch them or lie beyond the beam, from frame
   * {@code lowest} on (nothing before it changed), renumbering what follows.
   */
  private static void compact(TokenLattice lat, int lowest, float latticeBeam, StateMap frontier) {
    int front = lat.frames;
    int firstToken = lat.frameBegin(lowest);
    int firstLink = lat.linkStart[lowest];
    int n = lat.tokenCount;
    // keptTokens[i]: tokens kept among [firstToken, firstToken + i), likewise for links.
    int[] keptTokens = new int[n - firstToken + 1];
    for (int tok = firstToken; tok < n; tok++) {
      int i = tok - firstToken;
      keptTokens[i + 1] = keptTokens[i] + (lat.tokenExtra[tok] == Double.POSITIVE_INFINITY ? 0 : 1);
    }
    int[] keptLinks = new int[lat.linkCount - firstLink + 1];
    for (int l = firstLink; l < lat.linkCount; l++) {
      int to = lat.linkTo[l];
      boolean keep = lat.tokenExtra[lat.linkFrom[l]] != Double.POSITIVE_INFINITY
          && lat.tokenExtra[to] != Double.POSITIVE_INFINITY
          && linkExtra(lat, l, lat.tokenExtra[to]) <= latticeBeam;
      keptLinks[l - firstLink + 1] = keptLinks[l - firstLink] + (keep ? 1 : 0);
    }
    if (keptTokens[n - firstToken] == n - firstToken && keptLinks[lat.linkCount - firstLink] == lat.linkCount - firstLink) {
      return;
    }
    int links = firstLink;
    for (int l = firstLink; l < lat.linkCount; l++) {
      if (keptLinks[l - firstLink + 1] == keptLinks[l - firstLink]) {
        continue;
      }
      lat.linkFrom[links] = renumber(lat.linkFrom[l], firstToken, keptTokens);
      lat.linkTo[links] = renumber(lat.linkTo[l], firstToken, keptTokens);
      lat.linkIlabel[links] = lat.linkIlabel[l];
      lat.linkOlabel[links] = lat.linkOlabel[l];
      lat.linkGraph[links] = lat.linkGraph[l];
      lat.linkAcoustic[links] = lat.linkAcoustic[l];
      links++;
    }
    // A token's best link survives (its extra cost is the token's own); those of tokens before
    // frame lowest lie before firstLink and did not move.
    int kept = firstToken;
    for (int tok = firstToken; tok < n; tok++) {
      if (lat.tokenExtra[tok] == Double.POSITIVE_INFINITY) {
        continue;
      }
      int best = lat.tokenBestLink[tok];
      lat.tokenState[kept] = lat.tokenState[tok];
      lat.tokenCost[kept] = lat.tokenCost[tok];
      lat.tokenExtra[kept] = lat.tokenExtra[tok];
      lat.tokenBestLink[kept] = renumber(best, firstLink, keptLinks);
      kept++;
    }
    for (int t = lowest + 1; t <= front + 1; t++) {
      lat.frameStart[t] = renumber(lat.frameStart[t], firstToken, keptTokens);
    }
    for (int t = lowest + 1; t <= front; t++) {
      lat.linkStart[t] = renumber(lat.linkStart[t], firstLink, keptLinks);
    }
    lat.linkCount = links;
    lat.tokenCount = kept;
    for (int tok = lat.frameBegin(front); tok < lat.frameEnd(front); tok++) {
      frontier.put(lat.tokenState[tok], tok);
    }
  }

  /**
   * The new index of item {@code i} (a token or a link), or of the first kept item after it
   * when it was dropped: items before {@code first} did not move.
   */
  private static int renumber(int i, int first, int[] keptBefore) {
    return i < first ? i : first + keptBefore[i - first];
  }

  /** α(from) + cost − α(to) + extra(to): how much worse than best a path through link l is. */
  private static double linkExtra(TokenLattice lat, int l, double extraTo) {
    return lat.tokenCost[lat.linkFrom[l]] + lat.linkGraph[l] + lat.linkAcoustic[l]
        - lat.tokenCost[lat.linkTo[l]] + extraTo;
  }
}
