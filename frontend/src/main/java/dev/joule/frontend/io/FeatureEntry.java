package dev.joule.frontend.io;

import dev.joule.frontend.FloatMatrix;

/** One utterance's features as read from a feature file. */
public record FeatureEntry(String id, FloatMatrix features) {}
