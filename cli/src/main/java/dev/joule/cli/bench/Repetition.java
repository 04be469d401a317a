package dev.joule.cli.bench;

/**
 * The time one system took for one pass over the whole set, in seconds.
 *
 * @param wallSeconds wall-clock time of the pass
 * @param cpuSeconds CPU time of the measuring thread (the system's own work when it runs in this
 *     JVM on that thread), or NaN when the work happened elsewhere (another process)
 * @param featureSeconds reading audio and computing features (NaN when the system does not say)
 * @param acousticSeconds running the acoustic model (NaN when the system does not say)
 * @param decodeSeconds beam search, lattice and n-best (NaN when the system does not say)
 */
public record Repetition(double wallSeconds, double cpuSeconds, double featureSeconds, double acousticSeconds,
    double decodeSeconds) {}
