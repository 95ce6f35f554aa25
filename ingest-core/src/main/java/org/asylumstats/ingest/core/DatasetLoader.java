package org.asylumstats.ingest.core;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Year;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Validates one dataset file in a single streaming pass and, while it stays valid, streams its
 * rows into the release's staging table with PostgreSQL {@code COPY}. The caller owns the transaction:
 * it commits when the report is valid and rolls back otherwise, so a file loads whole or not at all.
 */
public final class DatasetLoader {

    /** Smallest year UNHCR's statistics start from (the 1951 Convention). */
    public static final int FIRST_YEAR = 1951;

    /** Largest year a figure can have: next year (a release may announce the coming year's planning figures). */
    public static int lastYear() {
        return Year.now().getValue() + 1;
    }

    private final CountryReference countries;
    private final InputLimits limits;

    /** A loader with the default input limits for files of at most {@code maxBytes}. */
    public DatasetLoader(CountryReference countries, long maxBytes) {
        this(countries, InputLimits.defaults(maxBytes));
    }

    public DatasetLoader(CountryReference countries, InputLimits limits) {
        this.countries = countries;
        this.limits = limits;
    }

    /** Validates without loading anything. */
    public ValidationReport validate(InputStream body, Dataset expected) throws IOException {
        try {
            return run(body, expected, null, 0, null);
        } catch (SQLException e) {
            throw new IllegalStateException("no database is used when only validating", e);
        }
    }

    /**
     * Replaces the rows of {@code releaseId} for this dataset with the file's, inside the caller's
     * transaction on {@code connection}: the release's staging table is dropped whole, recreated
     * without indexes, filled with COPY and, when the file is valid, indexed and sealed
     * ({@code ingest.seal_figures}). Roll back when the report is not valid: the previous file's
     * table comes back with the rollback.
     */
    public ValidationReport load(InputStream body, Dataset expected, long releaseId, Connection connection)
            throws IOException, SQLException {
        String staged = Publications.stagedTable(connection, expected, releaseId);
        try (Statement st = connection.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + staged);
            st.execute("CREATE TABLE " + staged + " (LIKE " + expected.table() + " INCLUDING DEFAULTS INCLUDING CONSTRAINTS)");
        }
        ValidationReport report = run(body, expected, staged, releaseId, connection);
        if (report.valid()) {
            Publications.seal(connection, expected, releaseId);
        }
        return report;
    }

    private ValidationReport run(InputStream body, Dataset expected, String table, long releaseId, Connection connection)
            throws IOException, SQLException {
        ReportCollector report = new ReportCollector();
        String format = null;
        long rows = 0;
        BitSet years = new BitSet();
        CopyWriter copy = null;
        try {
            OpenedInput input = OpenedInput.open(body, limits);
            try (RecordReader reader = input.json() ? new ApiPageRecordReader(input.reader(), limits)
                    : new CsvRecordReader(input.reader(), limits, input.firstLine())) {
                format = reader.format() + (input.compressed() ? "+gzip" : "");
                SourceRecord first = reader.next();
                HeaderMapping header = reader instanceof CsvRecordReader csv ? csv.header() : ((ApiPageRecordReader) reader).header();
                if (header != null && !checkHeader(header, reader, expected, report)) {
                    return report.report(expected, format, 0, List.of());
                }
                if (first == null) {
                    report.error(1, null, "no-rows", "the file has a header but no rows");
                    return report.report(expected, format, 0, List.of());
                }
                RowChecker checker = new RowChecker(expected, countries, report);
                if (connection != null) {
                    copy = new CopyWriter(connection, expected, table, releaseId);
                }
                for (SourceRecord record = first; record != null; record = reader.next()) {
                    rows++;
                    String[] row = checker.check(record);
                    if (row == null || report.hasErrors()) {
                        if (copy != null) {
                            copy.cancel();
                            copy = null;
                        }
                        continue;
                    }
                    years.set(Integer.parseInt(row[0]) - FIRST_YEAR);
                    if (copy != null) {
                        copy.write(row);
                    }
                }
            }
        } catch (UnreadableInputException e) {
            report.error(e.line(), e.column(), e.code(), e.getMessage());
        } catch (SQLException | IOException | RuntimeException e) {
            // the database went away mid-COPY (or the input stream failed): the driver keeps the
            // connection locked to the unfinished COPY, and the caller's rollback would wait forever
            if (copy != null) {
                copy.cancelQuietly();
            }
            throw e;
        } finally {
            if (copy != null && report.hasErrors()) {
                copy.cancel();
                copy = null;
            }
        }
        if (copy != null) {
            copy.finish();
        }
        List<Integer> covered = new ArrayList<>();
        years.stream().forEach(y -> covered.add(y + FIRST_YEAR));
        return report.report(expected, format, rows, report.hasErrors() ? List.of() : covered);
    }

    private static boolean checkHeader(HeaderMapping header, RecordReader reader, Dataset expected, ReportCollector report) {
        if (header.dataset().isEmpty()) {
            report.error(1, null, "unrecognised-dataset",
                    "the columns name none of the counts of population, asylum-applications or asylum-decisions");
            return false;
        }
        if (header.dataset().get() != expected) {
            report.error(1, null, "dataset-mismatch", "the file holds " + header.dataset().get().pathName()
                    + " figures but was uploaded as " + expected.pathName());
            return false;
        }
        var fields = reader.fields();
        List<String> required = new ArrayList<>(List.of(Dataset.YEAR));
        expected.codes().forEach(c -> required.add(c.field()));
        expected.unit().ifPresent(u -> required.add(u.field()));
        expected.counts().forEach(c -> required.add(c.field()));
        for (String field : required) {
            if (!fields.contains(field)) {
                report.error(1, field, "missing-column", "the required column " + field + " is missing");
            }
        }
        if (!fields.contains(Dataset.ORIGIN_ISO) && !fields.contains(Dataset.ORIGIN_UNHCR)) {
            report.error(1, Dataset.ORIGIN_ISO, "missing-column", "no country of origin column (coo_iso or coo)");
        }
        if (!fields.contains(Dataset.ASYLUM_ISO) && !fields.contains(Dataset.ASYLUM_UNHCR)) {
            report.error(1, Dataset.ASYLUM_ISO, "missing-column", "no country of asylum column (coa_iso or coa)");
        }
        for (String unknown : reader.unknownFields()) {
            report.warning(1, unknown, "unknown-column", "the column " + Excerpt.of(unknown) + " is not part of " + expected.pathName() + " and is ignored");
        }
        return !report.hasErrors();
    }

    /** Checks one row and turns it into table values (null when the row has an error). */
    private static final class RowChecker {
        private final Dataset dataset;
        private final CountryReference countries;
        private final ReportCollector report;
        private final int lastYear = lastYear();
        private final LongHashSet keys = new LongHashSet();
        private final List<Map<String, Integer>> codeIndexes = new ArrayList<>();
        private final int width;

        RowChecker(Dataset dataset, CountryReference countries, ReportCollector report) {
            this.dataset = dataset;
            this.countries = countries;
            this.report = report;
            dataset.codes().forEach(c -> codeIndexes.add(new HashMap<>()));
            this.width = dataset.columns().size() - 1;
        }

        String[] check(SourceRecord record) {
            long line = record.line();
            if (record.valueCount() != record.expectedCount()) {
                report.error(line, null, record.valueCount() > record.expectedCount() ? "too-many-fields" : "too-few-fields",
                        "the row has " + record.valueCount() + " fields, the header " + record.expectedCount());
                return null;
            }
            Map<String, String> v = record.values();
            boolean ok = true;
            String[] row = new String[width];
            int col = 0;

            Integer year = parseYear(line, v.get(Dataset.YEAR));
            ok &= year != null;
            row[col++] = year == null ? null : year.toString();

            CountryReference.Country origin = country(line, "origin", v.get(Dataset.ORIGIN_ISO), v.get(Dataset.ORIGIN_UNHCR), Dataset.ORIGIN_ISO, Dataset.ORIGIN_UNHCR);
            CountryReference.Country asylum = country(line, "asylum", v.get(Dataset.ASYLUM_ISO), v.get(Dataset.ASYLUM_UNHCR), Dataset.ASYLUM_ISO, Dataset.ASYLUM_UNHCR);
            ok &= origin != null && asylum != null;
            row[col++] = origin == null ? null : origin.code();
            row[col++] = asylum == null ? null : asylum.code();

            long key = year == null ? 0 : year - FIRST_YEAR;
            key = key * 1024 + (origin == null ? 0 : origin.index());
            key = key * 1024 + (asylum == null ? 0 : asylum.index());
            for (int i = 0; i < dataset.codes().size(); i++) {
                Dataset.CodeField field = dataset.codes().get(i);
                String code = v.getOrDefault(field.field(), "").strip().toUpperCase(java.util.Locale.ROOT);
                if (code.isEmpty()) {
                    report.error(line, field.field(), "missing-value", field.field() + " is empty");
                    ok = false;
                } else if (!field.knownCodes().contains(code)) {
                    if (Codes.WELL_FORMED.matcher(code).matches()) {
                        report.warning(line, field.field(), "unlisted-code", "the code " + Excerpt.of(code) + " is not in UNHCR's known " + field.field() + " list; loaded as is");
                    } else {
                        report.error(line, field.field(), "invalid-code", "'" + Excerpt.of(code) + "' is not a " + field.field() + " code");
                        ok = false;
                    }
                }
                Map<String, Integer> index = codeIndexes.get(i);
                key = key * 256 + (index.size() < 255 ? index.computeIfAbsent(code, c -> index.size()) : 255);
                row[col++] = code;
            }
            if (dataset.unit().isPresent()) {
                String field = dataset.unit().get().field();
                String unit = v.getOrDefault(field, "").strip().toUpperCase(java.util.Locale.ROOT);
                switch (unit) {
                    case "P" -> row[col++] = "PERSONS";
                    case "C" -> row[col++] = "CASES";
                    default -> {
                        report.error(line, field, "invalid-code", "'" + Excerpt.of(unit) + "' is not a unit: P for persons or C for cases");
                        ok = false;
                        col++;
                    }
                }
                key = key * 2 + ("C".equals(unit) ? 1 : 0);
            }
            for (Dataset.CountField field : dataset.counts()) {
                String raw = v.get(field.field());
                Long count = parseCount(line, field.field(), raw);
                if (count != null && count < 0) {
                    ok = false;
                }
                row[col++] = count == null ? null : count.toString();
            }
            if (!ok || report.hasErrors()) {
                return null;
            }
            if (!keys.add(key)) {
                report.error(line, null, "duplicate-key", "another row has the same year, origin, asylum"
                        + (dataset.codes().isEmpty() ? "" : ", procedure codes") + (dataset.unit().isPresent() ? " and unit" : ""));
                return null;
            }
            return row;
        }

        private Integer parseYear(long line, String raw) {
            String s = raw == null ? "" : raw.strip();
            if (s.isEmpty()) {
                report.error(line, Dataset.YEAR, "missing-value", "year is empty");
                return null;
            }
            int year;
            try {
                year = Integer.parseInt(s);
            } catch (NumberFormatException e) {
                report.error(line, Dataset.YEAR, "not-an-integer", "year '" + Excerpt.of(s) + "' is not a whole number");
                return null;
            }
            if (year < FIRST_YEAR || year > lastYear) {
                report.error(line, Dataset.YEAR, "year-out-of-range", "year " + year + " is outside " + FIRST_YEAR + ".." + lastYear);
                return null;
            }
            return year;
        }

        private CountryReference.Country country(long line, String role, String iso, String unhcr, String isoField, String unhcrField) {
            String isoCode = iso == null ? "" : iso.strip();
            String unhcrCode = unhcr == null ? "" : unhcr.strip();
            if (isoCode.isEmpty() && unhcrCode.isEmpty()) {
                report.error(line, isoField, "missing-value", "no country of " + role);
                return null;
            }
            CountryReference.Country byIso = isoCode.isEmpty() ? null : countries.byIso(isoCode);
            CountryReference.Country byUnhcr = unhcrCode.isEmpty() ? null : countries.byUnhcr(unhcrCode);
            if (byIso != null && byUnhcr != null && byIso != byUnhcr) {
                report.warning(line, unhcrField, "country-mismatch", "ISO code " + Excerpt.of(isoCode) + " and UNHCR code " + Excerpt.of(unhcrCode)
                        + " name different countries; the ISO code is used");
            }
            if (byIso != null) {
                return byIso;
            }
            if (byUnhcr != null && isoCode.isEmpty()) {
                return byUnhcr;
            }
            String field = isoCode.isEmpty() ? unhcrField : isoField;
            report.error(line, field, "unknown-country", "country of " + role + " '" + Excerpt.of(isoCode.isEmpty() ? unhcrCode : isoCode)
                    + "' is not in the country reference");
            return null;
        }

        /** A count: digits, or "-"/empty for not reported (null). Negative values are reported. */
        private Long parseCount(long line, String field, String raw) {
            String s = raw == null ? "" : raw.strip();
            if (s.isEmpty() || s.equals("-")) {
                return null;
            }
            try {
                long value = Long.parseLong(s);
                if (value < 0) {
                    report.error(line, field, "negative-count", field + " is negative: " + Excerpt.of(s));
                }
                return value;
            } catch (NumberFormatException e) {
                report.error(line, field, "not-an-integer", field + " '" + Excerpt.of(s) + "' is not a whole number");
                return -1L;
            }
        }
    }

    /** Rows in PostgreSQL's COPY text format, sent in 64 KiB chunks. */
    private static final class CopyWriter {
        private final CopyIn copy;
        private final String releasePrefix;
        private final byte[] buffer = new byte[1 << 16];
        private int used;
        private final StringBuilder line = new StringBuilder(256);

        CopyWriter(Connection connection, Dataset dataset, String table, long releaseId) throws SQLException {
            String sql = "COPY " + table + " (" + String.join(", ", dataset.columns()) + ") FROM STDIN";
            this.copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
            this.releasePrefix = Long.toString(releaseId);
        }

        void write(String[] row) throws SQLException {
            line.setLength(0);
            line.append(releasePrefix);
            for (String value : row) {
                line.append('\t');
                // values are validated codes and digits: nothing to escape
                line.append(value == null ? "\\N" : value);
            }
            line.append('\n');
            byte[] bytes = line.toString().getBytes(StandardCharsets.UTF_8);
            if (used + bytes.length > buffer.length) {
                flush();
            }
            System.arraycopy(bytes, 0, buffer, used, bytes.length);
            used += bytes.length;
        }

        void finish() throws SQLException {
            flush();
            copy.endCopy();
        }

        void cancel() throws SQLException {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }

        /** Ends the COPY whatever state the connection is in, so that the driver releases its lock. */
        void cancelQuietly() {
            try {
                cancel();
            } catch (SQLException | RuntimeException ignored) {
                // the connection is broken; the pool discards it
            }
        }

        private void flush() throws SQLException {
            if (used > 0) {
                copy.writeToCopy(buffer, 0, used);
                used = 0;
            }
        }
    }
}
