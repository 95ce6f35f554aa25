package org.asylumstats.ingest.core;

import java.io.FilterReader;
import java.io.IOException;
import java.io.Reader;

/** Stops a text at its first NUL character, naming its line and position (no dataset value holds one). */
final class NulGuard extends FilterReader {

    private long line = 1;
    private long position = 1;

    NulGuard(Reader in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        char[] one = new char[1];
        return read(one, 0, 1) < 0 ? -1 : one[0];
    }

    @Override
    public int read(char[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        for (int i = 0; i < n; i++) {
            char c = buffer[offset + i];
            if (c == 0) {
                throw new UnreadableInputException("nul-byte", line, null,
                        "the file holds a NUL character at line " + line + ", position " + position);
            }
            if (c == '\n') {
                line++;
                position = 1;
            } else {
                position++;
            }
        }
        return n;
    }
}
