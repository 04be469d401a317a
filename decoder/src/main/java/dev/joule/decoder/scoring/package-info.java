/**
 * Word and character error rates: minimum-cost Levenshtein alignment with sclite's weights,
 * per-utterance and per-speaker counts, and an sclite-style report.
 */
package dev.joule.decoder.scoring;
