/**
 * Joule's model directory format, the bundled default English model and the recipes that rebuild
 * it. Filled in by the training work; until then no model is bundled.
 */
package dev.joule.models;
