package org.asylumstats.ingest.core;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
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

    CsvRecordReader(Reader reader) throws IOException {
        this.parser = CSVParser.builder().setReader(reader).setFormat(FORMAT).get();
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
        String[] fields = header.fields();
        Map<String, String> values = new HashMap<>(fields.length * 2);
        int n = Math.min(fields.length, record.size());
        for (int i = 0; i < n; i++) {
            if (fields[i] != null) {
                values.put(fields[i], record.get(i));
            }
        }
        return new SourceRecord(record.getRecordNumber(), values, record.size(), fields.length);
    }

    /** The next record, with the parser's failures turned into report codes. */
    private CSVRecord advance() throws IOException {
        try {
            return records.hasNext() ? records.next() : null;
        } catch (UncheckedIOException e) {
            throw translate(e.getCause());
        } catch (IllegalStateException e) {
            throw new UnreadableInputException("malformed-csv", parser.getCurrentLineNumber(), "the CSV cannot be parsed: " + e.getMessage());
        }
    }

    private IOException translate(IOException cause) {
        if (cause instanceof UnreadableInputException u) {
            return u;
        }
        long line = parser.getCurrentLineNumber();
        if (cause instanceof CharacterCodingException) {
            return new UnreadableInputException("invalid-encoding", line + 1, "the file is not valid UTF-8 near line " + (line + 1));
        }
        return new UnreadableInputException("malformed-csv", line, "the CSV cannot be parsed near line " + line + ": " + cause.getMessage());
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
