/**
 * Training-time augmentation, deterministic under a seed: speed perturbation (waveform),
 * additive noise at an SNR (waveform), SpecAugment (features).
 */
package dev.joule.frontend.augment;
