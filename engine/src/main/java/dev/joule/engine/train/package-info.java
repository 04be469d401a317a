/**
 * Training CTC-CRF acoustic models on the CPU: features and phone transcripts of Kaldi data
 * directories ({@link dev.joule.engine.train.TrainingSet}), the den graph, length-bucketed
 * batches ({@link dev.joule.engine.train.Batching}), the loop with Adam, warm-up, SpecAugment and
 * clipping ({@link dev.joule.engine.train.Trainer}), checkpoints that resume bit-for-bit
 * ({@link dev.joule.engine.train.Checkpoint}) and the dev phone error rate
 * ({@link dev.joule.engine.train.PhoneRecognizer}).
 */
package dev.joule.engine.train;
