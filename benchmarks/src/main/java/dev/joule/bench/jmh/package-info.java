/**
 * JMH microbenchmarks of Joule's CPU hot paths: fbank, decoding per frame and the CTC-CRF
 * denominator forward-backward. They are not tests and do not run in the build; run them with
 * {@code benchmarks/jmh.sh} (see {@code benchmarks/RESULTS.md}). Inputs come from the bundled
 * default model's files in the source tree, so paths are relative to the repository root.
 */
package dev.joule.bench.jmh;
