package org.asylumstats.ingest.core;

import java.io.IOException;

/** The file cannot be read on: bad compression, encoding, CSV or JSON structure, or too large. */
final class UnreadableInputException extends IOException {

    private final String code;
    private final long line;

    UnreadableInputException(String code, long line, String message) {
        super(message);
        this.code = code;
        this.line = line;
    }

    String code() {
        return code;
    }

    long line() {
        return line;
    }
}
