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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
            if (ReturnsAgreement.concerns(expected)) {
                report = ReturnsAgreement.check(connection, releaseId).map(report::withWarning).orElse(report);
            }
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
                RowChecker checker = new RowChecker(expected, header, countries, report);
                if (connection != null) {
                    copy = new CopyWriter(connection, expected, table, releaseId);
                }
                for (SourceRecord record = first; record != null; record = reader.next()) {
                    rows++;
                    if (!checker.check(record) || report.hasErrors()) {
                        if (copy != null) {
                            copy.cancel();
                            copy = null;
                        }
                        continue;
                    }
                    years.set(checker.year - FIRST_YEAR);
                    if (copy != null) {
                        copy.write(checker);
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
                    "the columns name none of the counts of population, asylum-applications, asylum-decisions, demographics or solutions");
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
        expected.texts().forEach(t -> required.add(t.field()));
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

    /**
     * Checks one row and keeps its table values for the COPY writer. The columns of the fields are
     * resolved once from the header; values stay primitives until they are written.
     */
    private static final class RowChecker {
        private final Dataset dataset;
        private final CountryReference countries;
        private final ReportCollector report;
        /** Distinct codes a code column may hold in one file: a key packs each code's number into a byte. */
        static final int MAX_CODES = 255;
        private final int lastYear = lastYear();
        /**
         * The keys of the valid rows, a set per year: files come sorted by year, so the set being
         * probed stays small enough for the CPU's caches instead of one set as large as the file.
         */
        private final LongHashSet[] keysByYear = new LongHashSet[lastYear - FIRST_YEAR + 1];
        /** The same for a dataset with a free-text key column: the packed key and the text, per year. */
        private final Set<TextKey>[] textKeysByYear;
        private final List<Map<String, Integer>> codeIndexes = new ArrayList<>();
        private final int yearColumn;
        private final int originIsoColumn;
        private final int originUnhcrColumn;
        private final int asylumIsoColumn;
        private final int asylumUnhcrColumn;
        private final int[] codeColumns;
        private final int[] textColumns;
        private final int unitColumn;
        private final int[] countColumns;
        /** Per rule of the dataset: the index of its total and of its parts among the counts. */
        private final int[] ruleTotals;
        private final int[][] ruleParts;

        /** The values of the last row that passed {@link #check}. */
        int year;
        CountryReference.Country origin;
        CountryReference.Country asylum;
        final String[] codes;
        final String[] texts;
        String unit;
        /** The counts; {@link #reported} false where the file says not reported ("-" or empty). */
        final long[] counts;
        final boolean[] reported;

        RowChecker(Dataset dataset, HeaderMapping header, CountryReference countries, ReportCollector report) {
            this.dataset = dataset;
            this.countries = countries;
            this.report = report;
            dataset.codes().forEach(c -> codeIndexes.add(new HashMap<>()));
            yearColumn = header.column(Dataset.YEAR);
            originIsoColumn = header.column(Dataset.ORIGIN_ISO);
            originUnhcrColumn = header.column(Dataset.ORIGIN_UNHCR);
            asylumIsoColumn = header.column(Dataset.ASYLUM_ISO);
            asylumUnhcrColumn = header.column(Dataset.ASYLUM_UNHCR);
            codeColumns = dataset.codes().stream().mapToInt(c -> header.column(c.field())).toArray();
            textColumns = dataset.texts().stream().mapToInt(t -> header.column(t.field())).toArray();
            unitColumn = dataset.unit().map(u -> header.column(u.field())).orElse(-1);
            countColumns = dataset.counts().stream().mapToInt(c -> header.column(c.field())).toArray();
            codes = new String[codeColumns.length];
            texts = new String[textColumns.length];
            counts = new long[countColumns.length];
            reported = new boolean[countColumns.length];
            List<String> countFields = dataset.counts().stream().map(Dataset.CountField::field).toList();
            ruleTotals = dataset.rules().stream().mapToInt(r -> countFields.indexOf(r.total())).toArray();
            ruleParts = dataset.rules().stream().map(r -> r.parts().stream().mapToInt(countFields::indexOf).toArray()).toArray(int[][]::new);
            @SuppressWarnings("unchecked")
            Set<TextKey>[] byYear = textColumns.length == 0 ? null : new Set[lastYear - FIRST_YEAR + 1];
            textKeysByYear = byYear;
        }

        /** A row's key when the dataset has a text key column: the packed codes and the text(s) joined. */
        private record TextKey(long packed, String text) {
        }

        /** True when the row is valid (its values are then in this checker's fields). */
        boolean check(SourceRecord record) {
            long line = record.line();
            if (record.valueCount() != record.expectedCount()) {
                report.error(line, null, record.valueCount() > record.expectedCount() ? "too-many-fields" : "too-few-fields",
                        "the row has " + record.valueCount() + " fields, the header " + record.expectedCount());
                return false;
            }
            year = parseYear(line, record.value(yearColumn));
            boolean ok = year != 0;

            origin = country(line, "origin", record.value(originIsoColumn), record.value(originUnhcrColumn), Dataset.ORIGIN_ISO, Dataset.ORIGIN_UNHCR);
            asylum = country(line, "asylum", record.value(asylumIsoColumn), record.value(asylumUnhcrColumn), Dataset.ASYLUM_ISO, Dataset.ASYLUM_UNHCR);
            ok &= origin != null && asylum != null;

            long key = year == 0 ? 0 : year - FIRST_YEAR;
            key = key * 1024 + (origin == null ? 0 : origin.index());
            key = key * 1024 + (asylum == null ? 0 : asylum.index());
            for (int i = 0; i < codeColumns.length; i++) {
                Dataset.CodeField field = dataset.codes().get(i);
                String raw = record.value(codeColumns[i]);
                String code = raw == null ? "" : raw.strip().toUpperCase(java.util.Locale.ROOT);
                if (code.isEmpty()) {
                    report.error(line, field.field(), "missing-value", field.field() + " is empty");
                    ok = false;
                } else if (!field.knownCodes().contains(code)) {
                    if (field.closed()) {
                        report.error(line, field.field(), "unknown-code", "'" + Excerpt.of(code) + "' is not a " + field.field() + " code (one of "
                                + new java.util.TreeSet<>(field.knownCodes()) + ")");
                        ok = false;
                    } else if (Codes.WELL_FORMED.matcher(code).matches()) {
                        report.warning(line, field.field(), "unlisted-code", "the code " + Excerpt.of(code) + " is not in UNHCR's known " + field.field() + " list; loaded as is");
                    } else {
                        report.error(line, field.field(), "invalid-code", "'" + Excerpt.of(code) + "' is not a " + field.field() + " code");
                        ok = false;
                    }
                }
                int number = codeIndex(codeIndexes.get(i), code);
                if (number < 0) {
                    report.error(line, field.field(), "too-many-codes", "more than " + MAX_CODES + " distinct " + field.field()
                            + " codes in one file (UNHCR's releases use about 15)");
                    ok = false;
                    number = 0;
                }
                key = key * (MAX_CODES + 1) + number;
                codes[i] = code;
            }
            for (int i = 0; i < textColumns.length; i++) {
                Dataset.TextField field = dataset.texts().get(i);
                String raw = record.value(textColumns[i]);
                String text = raw == null ? "" : raw.strip();
                if (text.isEmpty()) {
                    report.error(line, field.field(), "missing-value", field.field() + " is empty");
                    ok = false;
                } else if (text.length() > field.maxChars() && text.codePointCount(0, text.length()) > field.maxChars()) {
                    // characters, not UTF-16 units: a place name in a non-Latin script is not twice as long
                    report.error(line, field.field(), "value-too-long", field.field() + " has " + text.codePointCount(0, text.length()) + " characters, at most "
                            + field.maxChars() + " are kept: '" + Excerpt.of(text) + "'");
                    ok = false;
                }
                texts[i] = text;
            }
            if (dataset.unit().isPresent()) {
                String field = dataset.unit().get().field();
                String raw = record.value(unitColumn);
                String code = raw == null ? "" : raw.strip().toUpperCase(java.util.Locale.ROOT);
                switch (code) {
                    case "P" -> unit = "PERSONS";
                    case "C" -> unit = "CASES";
                    default -> {
                        report.error(line, field, "invalid-code", "'" + Excerpt.of(code) + "' is not a unit: P for persons or C for cases");
                        ok = false;
                    }
                }
                key = key * 2 + ("C".equals(code) ? 1 : 0);
            }
            for (int i = 0; i < countColumns.length; i++) {
                ok &= parseCount(line, dataset.counts().get(i).field(), record.value(countColumns[i]), i);
            }
            if (ok) {
                ok = checkRules(line);
            }
            if (!ok || report.hasErrors()) {
                return false;
            }
            if (textKeysByYear != null) {
                return uniqueWithText(line, key);
            }
            if (keysByYear[year - FIRST_YEAR] == null) {
                keysByYear[year - FIRST_YEAR] = new LongHashSet(1 << 12);
            }
            if (!keysByYear[year - FIRST_YEAR].add(key)) {
                report.error(line, null, "duplicate-key", "another row has the same year, origin, asylum"
                        + (dataset.codes().isEmpty() ? "" : ", procedure codes") + (dataset.unit().isPresent() ? " and unit" : ""));
                return false;
            }
            return true;
        }

        /** A dataset with a text key column: the key is unique with its text, per year. */
        private boolean uniqueWithText(long line, long key) {
            Set<TextKey> keys = textKeysByYear[year - FIRST_YEAR];
            if (keys == null) {
                keys = new HashSet<>(1 << 12);
                textKeysByYear[year - FIRST_YEAR] = keys;
            }
            if (!keys.add(new TextKey(key, String.join("\u0000", texts)))) {
                report.error(line, null, "duplicate-key", "another row has the same year, origin, asylum, "
                        + String.join(", ", dataset.codes().stream().map(Dataset.CodeField::field).toList()) + " and "
                        + String.join(", ", dataset.texts().stream().map(Dataset.TextField::field).toList()));
                return false;
            }
            return true;
        }

        /**
         * The dataset's count rules (f_total is the sum of the f_ bands, total at least f_total + m_total):
         * a total is reported whenever a part is; it equals (or bounds) the sum of its parts.
         */
        private boolean checkRules(long line) {
            boolean ok = true;
            List<Dataset.CountRule> rules = dataset.rules();
            for (int r = 0; r < rules.size(); r++) {
                int total = ruleTotals[r];
                if (!reported[total]) {
                    // a breakdown without its total would make sums by sex or age disagree with the total
                    for (int part : ruleParts[r]) {
                        if (reported[part]) {
                            report.error(line, rules.get(r).total(), "total-not-reported", rules.get(r).total()
                                    + " is not reported but " + dataset.counts().get(part).field() + " is");
                            ok = false;
                            break;
                        }
                    }
                    continue;
                }
                long sum = 0;
                boolean complete = true;
                for (int part : ruleParts[r]) {
                    complete &= reported[part];
                    // saturates instead of wrapping: a hostile file's huge counts must not add up to a small sum
                    sum = reported[part] ? saturatedAdd(sum, counts[part]) : sum;
                }
                Dataset.CountRule rule = rules.get(r);
                if (rule.exact() && complete && sum != counts[total]) {
                    report.error(line, rule.total(), "bands-do-not-add-up", rule.total() + " is " + counts[total] + " but "
                            + String.join(" + ", rule.parts()) + " make " + sum);
                    ok = false;
                } else if (sum > counts[total]) {
                    report.error(line, rule.total(), "total-below-breakdown", rule.total() + " is " + counts[total] + ", less than "
                            + String.join(" + ", rule.parts()) + " = " + sum);
                    ok = false;
                }
            }
            return ok;
        }

        private static long saturatedAdd(long a, long b) {
            long sum = a + b;
            return sum < 0 ? Long.MAX_VALUE : sum; // both are non-negative: a negative sum is an overflow
        }

        /**
         * The code's number in the order of first appearance, -1 for a code past the first
         * {@link #MAX_CODES}: each number takes one byte of the row's key.
         */
        private static int codeIndex(Map<String, Integer> index, String code) {
            Integer known = index.get(code);
            if (known == null) {
                if (index.size() >= MAX_CODES) {
                    return -1;
                }
                known = index.size();
                index.put(code, known);
            }
            return known;
        }

        /** The year, or 0 when it is reported as an error. */
        private int parseYear(long line, String raw) {
            String s = raw == null ? "" : raw.strip();
            if (s.isEmpty()) {
                report.error(line, Dataset.YEAR, "missing-value", "year is empty");
                return 0;
            }
            int year;
            try {
                year = Integer.parseInt(s);
            } catch (NumberFormatException e) {
                report.error(line, Dataset.YEAR, "not-an-integer", "year '" + Excerpt.of(s) + "' is not a whole number");
                return 0;
            }
            if (year < FIRST_YEAR || year > lastYear) {
                report.error(line, Dataset.YEAR, "year-out-of-range", "year " + year + " is outside " + FIRST_YEAR + ".." + lastYear);
                return 0;
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

        /**
         * Count {@code i}: digits, or "-"/empty for not reported. False when it is reported as an
         * error (negative, or not a whole number).
         */
        private boolean parseCount(long line, String field, String raw, int i) {
            String s = raw == null ? "" : raw.strip();
            reported[i] = !(s.isEmpty() || s.equals("-"));
            if (!reported[i]) {
                return true;
            }
            try {
                counts[i] = Long.parseLong(s);
            } catch (NumberFormatException e) {
                report.error(line, field, "not-an-integer", field + " '" + Excerpt.of(s) + "' is not a whole number");
                return false;
            }
            if (counts[i] < 0) {
                report.error(line, field, "negative-count", field + " is negative: " + Excerpt.of(s));
                return false;
            }
            return true;
        }
    }

    /**
     * Rows in PostgreSQL's COPY text format, appended straight into a 64 KiB buffer (a row may span
     * two chunks: COPY reads one stream) and sent when it is full.
     */
    private static final class CopyWriter {
        private final CopyIn copy;
        private final byte[] releasePrefix;
        private final byte[] buffer = new byte[1 << 16];
        private int used;
        private final byte[] digits = new byte[20];

        CopyWriter(Connection connection, Dataset dataset, String table, long releaseId) throws SQLException {
            String sql = "COPY " + table + " (" + String.join(", ", dataset.columns()) + ") FROM STDIN";
            this.copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
            this.releasePrefix = Long.toString(releaseId).getBytes(StandardCharsets.UTF_8);
        }

        /** The checker's last valid row; values are validated codes and digits: nothing to escape. */
        void write(RowChecker row) throws SQLException {
            for (byte b : releasePrefix) {
                put(b);
            }
            put((byte) '\t');
            append(row.year);
            put((byte) '\t');
            append(row.origin.code());
            put((byte) '\t');
            append(row.asylum.code());
            for (String code : row.codes) {
                put((byte) '\t');
                append(code);
            }
            for (String text : row.texts) {
                put((byte) '\t');
                appendEscaped(text);
            }
            if (row.unit != null) {
                put((byte) '\t');
                append(row.unit);
            }
            for (int i = 0; i < row.counts.length; i++) {
                put((byte) '\t');
                if (row.reported[i]) {
                    append(row.counts[i]);
                } else {
                    put((byte) '\\');
                    put((byte) 'N');
                }
            }
            put((byte) '\n');
        }

        /** A non-negative number's decimal digits. */
        private void append(long value) throws SQLException {
            int start = digits.length;
            do {
                digits[--start] = (byte) ('0' + value % 10);
                value /= 10;
            } while (value > 0);
            for (int i = start; i < digits.length; i++) {
                put(digits[i]);
            }
        }

        private void append(String value) throws SQLException {
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c >= 0x80) {
                    // a code from the country reference outside ASCII: encoded whole, as String.getBytes would
                    for (byte b : value.substring(i).getBytes(StandardCharsets.UTF_8)) {
                        put(b);
                    }
                    return;
                }
                put((byte) c);
            }
        }

        /** Free text in COPY's text format: backslash, tab and line ends escaped (NUL never gets this far). */
        private void appendEscaped(String value) throws SQLException {
            for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
                switch (b) {
                    case '\\' -> {
                        put((byte) '\\');
                        put((byte) '\\');
                    }
                    case '\t' -> {
                        put((byte) '\\');
                        put((byte) 't');
                    }
                    case '\n' -> {
                        put((byte) '\\');
                        put((byte) 'n');
                    }
                    case '\r' -> {
                        put((byte) '\\');
                        put((byte) 'r');
                    }
                    default -> put(b);
                }
            }
        }

        private void put(byte b) throws SQLException {
            if (used == buffer.length) {
                flush();
            }
            buffer[used++] = b;
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
