package org.asylumstats.ingest.core;

/**
 * What a report may quote of the input: a short prefix with control characters made visible, so
 * that a huge or binary value is neither echoed whole nor stored (PostgreSQL's jsonb refuses NUL).
 */
final class Excerpt {

    static final int MAX_CHARS = 40;

    private Excerpt() {
    }

    static String of(String value) {
        if (value == null) {
            return null;
        }
        int end = Math.min(value.length(), MAX_CHARS);
        if (end < value.length() && Character.isHighSurrogate(value.charAt(end - 1))) {
            end--; // never split a character in two
        }
        String prefix = value.substring(0, end);
        StringBuilder out = new StringBuilder(prefix.length() + 1);
        prefix.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '\uFFFD' : c));
        if (end < value.length()) {
            out.append('…');
        }
        return out.toString();
    }
}
