package org.asylumstats.system;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.List;

/** An export's CSV read as a statistical tool reads it (RFC 4180, the first row naming the columns). */
record ExportedCsv(List<String> header, List<CSVRecord> rows) {

    static ExportedCsv parse(String text) {
        try (CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(new StringReader(text))) {
            return new ExportedCsv(parser.getHeaderNames(), parser.getRecords());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The column's cells, top to bottom. */
    List<String> column(String name) {
        return rows.stream().map(r -> r.get(name)).toList();
    }
}
