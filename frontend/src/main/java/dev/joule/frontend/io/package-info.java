/**
 * Feature files: Joule's streaming binary format and Kaldi's text archive format, both described
 * in {@code frontend/FORMAT.md}.
 */
package dev.joule.frontend.io;
