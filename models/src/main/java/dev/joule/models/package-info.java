/**
 * Joule's model directory format (see {@link dev.joule.models.ModelDirectory}), the bundled
 * default English model and the recipes that rebuild it.
 */
package dev.joule.models;
