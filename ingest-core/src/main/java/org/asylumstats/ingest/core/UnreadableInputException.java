package org.asylumstats.ingest.core;

import java.io.IOException;

/** The file cannot be read on: bad compression, encoding, CSV or JSON structure, a bound crossed, or too large. */
final class UnreadableInputException extends IOException {

    private final String code;
    private final long line;
    private final String column;

    UnreadableInputException(String code, long line, String message) {
        this(code, line, null, message);
    }

    UnreadableInputException(String code, long line, String column, String message) {
        super(message);
        this.code = code;
        this.line = line;
        this.column = column;
    }

    String code() {
        return code;
    }

    long line() {
        return line;
    }

    /** The column concerned, or null when the whole file is. */
    String column() {
        return column;
    }
}
