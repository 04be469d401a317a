package dev.joule.frontend.data;

/**
 * One {@code segments} line: utterance {@code id} is seconds {@code start..end} of recording
 * {@code recording} ({@code end} −1: to the end of the recording).
 */
public record Segment(String id, String recording, double start, double end) {}
