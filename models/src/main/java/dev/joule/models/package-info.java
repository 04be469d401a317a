/**
 * The bundled default English model and the recipes that rebuild it. The model directory format
 * itself is {@code dev.joule.engine.model.ModelDirectory}.
 */
package dev.joule.models;
