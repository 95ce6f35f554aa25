package org.asylumstats.ingest.core;

/**
 * One finding of validation. {@code line} is the file's line (the header is line 1) or, for JSON,
 * the line the item starts on, 0 for a finding about the file as a whole; {@code column} the field concerned, or null for the whole file.
 */
public record Issue(long line, String column, String code, String message) {
}
