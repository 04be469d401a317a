/** Output formats of {@code joule transcribe}: one small class per format. */
package dev.joule.cli.format;
