package org.asylumstats.ingest.core;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * Watches the characters on their way to the CSV parser and stops the file at the first one that
 * crosses a bound: a NUL, a field, a record or a header past its limit, or a row of more fields
 * than any header may have. Commons CSV would otherwise buffer an endless field or row whole
 * (an OutOfMemoryError); this follows just enough of RFC 4180's quoting to know where fields and
 * records end, one comparison per character.
 */
final class CsvShapeGuard extends Reader {

    private enum State { FIELD_START, UNQUOTED, QUOTED, QUOTE_IN_QUOTED }

    private final Reader in;
    private final InputLimits limits;
    private State state = State.FIELD_START;
    private long line;
    private long quoteOpenedOn;
    private int field;
    private int fieldChars;
    private int recordChars;
    private boolean inHeader = true;
    private final List<String> header = new ArrayList<>();
    private final StringBuilder headerField = new StringBuilder();

    CsvShapeGuard(Reader in, InputLimits limits, long firstLine) {
        this.in = in;
        this.limits = limits;
        this.line = firstLine;
    }

    @Override
    public int read(char[] buffer, int offset, int length) throws IOException {
        int n = in.read(buffer, offset, length);
        if (n < 0) {
            atEnd();
        }
        for (int i = offset; i < offset + n; i++) {
            char c = buffer[i];
            if (c > ',' && !inHeader) {
                // any character after ',' (letters, digits, most punctuation: the bulk of a file) is never
                // a delimiter, quote, line end or NUL: content in every state (it ends a closing quote's
                // state as unquoted content would); the full state machine for the rest
                if (state != State.QUOTED) {
                    state = State.UNQUOTED;
                }
                countContent();
            } else {
                inspect(c);
            }
        }
        return n;
    }

    private void inspect(char c) throws UnreadableInputException {
        if (c == 0) {
            throw refused("nul-byte", "the file holds a NUL character at line " + line + ", " + where());
        }
        switch (state) {
            case QUOTED -> {
                if (c == '"') {
                    state = State.QUOTE_IN_QUOTED;
                    recordChars++;
                } else {
                    content(c);
                }
            }
            case QUOTE_IN_QUOTED -> {
                if (c == '"') {
                    state = State.QUOTED;
                    content(c);
                } else {
                    delimiterOrContent(c);
                }
            }
            case FIELD_START -> {
                if (c == '"') {
                    state = State.QUOTED;
                    quoteOpenedOn = line;
                    recordChars++;
                } else {
                    delimiterOrContent(c);
                }
            }
            case UNQUOTED -> delimiterOrContent(c);
        }
    }

    private void delimiterOrContent(char c) throws UnreadableInputException {
        switch (c) {
            case ',' -> nextField();
            case '\n' -> endRecord();
            case '\r' -> {
                // part of CRLF: neither content nor a record end
            }
            default -> {
                state = State.UNQUOTED;
                content(c);
            }
        }
    }

    private void content(char c) throws UnreadableInputException {
        if (c == '\n') {
            line++;
        }
        countContent();
        if (inHeader) {
            headerField.append(c);
        }
    }

    private void countContent() throws UnreadableInputException {
        if (++fieldChars > limits.maxFieldChars()) {
            throw refused("field-too-long", "a field is longer than " + limits.maxFieldChars() + " characters at line " + line + ", " + where());
        }
        countRecordChar();
    }

    private void countRecordChar() throws UnreadableInputException {
        if (++recordChars > limits.maxRecordChars()) {
            throw refused("record-too-long", "a row is longer than " + limits.maxRecordChars() + " characters at line " + line);
        }
    }

    private void nextField() throws UnreadableInputException {
        countRecordChar();
        if (inHeader) {
            header.add(headerField.toString().strip());
            headerField.setLength(0);
        }
        state = State.FIELD_START;
        fieldChars = 0;
        if (++field >= limits.maxColumns()) {
            throw inHeader
                    ? refused("too-many-columns", "the header has more than " + limits.maxColumns() + " columns")
                    : refused("too-many-fields", "the row at line " + line + " has more than " + limits.maxColumns() + " fields");
        }
    }

    private void endRecord() {
        boolean blank = field == 0 && recordChars == 0;
        if (inHeader && !blank) {
            header.add(headerField.toString().strip());
            headerField.setLength(0);
            inHeader = false;
        }
        line++;
        state = State.FIELD_START;
        field = 0;
        fieldChars = 0;
        recordChars = 0;
    }

    private void atEnd() throws UnreadableInputException {
        if (state == State.QUOTED) {
            throw new UnreadableInputException("malformed-csv", quoteOpenedOn, column(),
                    "the quoted field opened at line " + quoteOpenedOn + " is never closed");
        }
    }

    private UnreadableInputException refused(String code, String message) {
        return new UnreadableInputException(code, line, column(), message);
    }

    /** The header's name of the current field once the header is known. */
    private String column() {
        return !inHeader && field < header.size() ? Excerpt.of(header.get(field)) : null;
    }

    private String where() {
        String name = column();
        return "field " + (field + 1) + (name == null ? "" : " (" + name + ")");
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
