package org.asylumstats.ingest.core;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;

/** CSV rows through Apache Commons CSV (RFC 4180 quoting, CRLF or LF). */
final class CsvRecordReader implements RecordReader {

    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder()
            .setIgnoreEmptyLines(true)
            .setTrim(true)
            .get();

    private final CSVParser parser;
    private final Iterator<CSVRecord> records;
    private final HeaderMapping header;
    private final long headerLine;

    CsvRecordReader(Reader reader, InputLimits limits, long firstLine) throws IOException {
        this.parser = CSVParser.builder().setReader(new CsvShapeGuard(reader, limits, firstLine)).setFormat(FORMAT).get();
        this.records = parser.iterator();
        CSVRecord first = advance();
        if (first == null) {
            throw new UnreadableInputException("empty-file", 1, "the file holds no header and no rows");
        }
        this.headerLine = 1;
        this.header = HeaderMapping.of(first.toList());
        Set<String> seen = new java.util.HashSet<>();
        for (String field : header.fields()) {
            if (field != null && !seen.add(field)) {
                throw new UnreadableInputException("duplicate-column", headerLine, "the header names " + field + " twice");
            }
        }
    }

    HeaderMapping header() {
        return header;
    }

    @Override
    public String format() {
        return header.labelled() ? "labelled-csv" : "snake-case-csv";
    }

    @Override
    public Set<String> fields() {
        Set<String> fields = new LinkedHashSet<>();
        for (String f : header.fields()) {
            if (f != null) {
                fields.add(f);
            }
        }
        return fields;
    }

    @Override
    public Set<String> unknownFields() {
        return header.unknown();
    }

    @Override
    public SourceRecord next() throws IOException {
        CSVRecord record = advance();
        if (record == null) {
            return null;
        }
        // the parser's own array, not a copy: the record is dropped once checked
        return new SourceRecord(record.getRecordNumber(), record.values(), record.size(), header.fields().length);
    }

    /** The next record, with the parser's failures turned into report codes. */
    private CSVRecord advance() throws IOException {
        try {
            return records.hasNext() ? records.next() : null;
        } catch (UncheckedIOException e) {
            throw translate(e.getCause());
        } catch (IllegalStateException e) {
            throw malformed(parser.getCurrentLineNumber(), e);
        }
    }

    /** Our own bound or encoding failure when it is the cause, else the parser's complaint without Java's class names. */
    private IOException translate(IOException failure) {
        long line = parser.getCurrentLineNumber();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof UnreadableInputException u) {
                return u;
            }
            if (t instanceof CharacterCodingException) {
                return new UnreadableInputException("invalid-encoding", line + 1, "the file is not valid UTF-8 near line " + (line + 1));
            }
        }
        return malformed(line, failure);
    }

    private static UnreadableInputException malformed(long line, Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String reason = String.valueOf(root.getMessage()).replaceAll("[\\w$]+(\\.[\\w$]+)+(Exception|Error):?\\s*", "")
                .replaceFirst("^\\((start)?line \\d+\\)\\s*", "");
        return new UnreadableInputException("malformed-csv", line, "the CSV cannot be parsed near line " + line + ": "
                + (reason.length() > 120 ? reason.substring(0, 120) + "…" : reason));
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
