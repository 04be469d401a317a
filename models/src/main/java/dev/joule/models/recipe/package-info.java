/**
 * The en-synth recipe's text and data tools: text sources, normalisation, de-duplication and
 * seeded splits ({@link dev.joule.models.recipe.Corpus}), phone transcripts, the seeded synthesis
 * plan, the synthesis and augmentation runner, Kaldi data directories, and the recipe's entry
 * point {@link dev.joule.models.recipe.EnSynthRecipe} (run by {@code models/recipes/en-synth/run.sh}).
 */
package dev.joule.models.recipe;
