package dev.joule.bench.peers;

import java.nio.file.Path;

/**
 * One evaluation utterance: 16 kHz mono 16-bit audio (WAV, or raw little-endian PCM) and its
 * reference words (lower case).
 */
public record Utterance(String id, Path audio, boolean raw, String reference) {}
