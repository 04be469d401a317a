/**
 * The embedded speech-recognition API: {@link dev.joule.engine.recognizer.Recognizer} turns audio
 * into words with times, confidences and alternatives, offline or streaming, from a Joule model
 * directory.
 */
package dev.joule.engine.recognizer;
