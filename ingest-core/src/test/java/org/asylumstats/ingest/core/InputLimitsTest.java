package org.asylumstats.ingest.core;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each bound of {@link InputLimits} crossed once: the exact report code, line and column, never an exception. */
class InputLimitsTest {

    static final String HEADER = "year,coo_name,coo,coo_iso,coa_name,coa,coa_iso,refugees,asylum_seekers,returned_refugees,idps,returned_idps,stateless,ooc,oip,hst\n";
    static final String ROW = "2020,\"Syrian Arab Rep.\",\"SYR\",\"SYR\",\"Germany\",\"GFR\",\"DEU\",100,5,-,,0,0,0,,0\n";
    static final String ITEM = "{\"year\":2020,\"coo_iso\":\"SYR\",\"coa_iso\":\"DEU\",\"procedure_type\":\"G\",\"app_type\":\"N\",\"dec_level\":\"FI\",\"app_pc\":\"P\",\"applied\":5}";

    private static final InputLimits DEFAULTS = InputLimits.defaults(64L << 20);

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        assertEquals(new InputLimits(1000, 1000, 200, 4096, 65_536, 64, 16), InputLimits.defaults(1000));
    }

    @Test
    void aGzipBombIsStoppedByTheRatioBeforeItIsInflated() throws IOException {
        byte[] bomb = gzip(HEADER + ROW + "\n".repeat(20 << 20));
        assertTrue(bomb.length < 64 << 10, "a small file: " + bomb.length);
        Issue issue = onlyError(validate(bomb, Dataset.POPULATION, DEFAULTS));
        assertEquals("compression-ratio-too-high", issue.code());
    }

    @Test
    void theInflatedSizeIsBoundedWhateverTheRatio() throws IOException {
        InputLimits loose = new InputLimits(64L << 20, 2L << 20, 1_000_000, 4096, 65_536, 64, 16);
        byte[] body = gzip(HEADER + ROW + "\n".repeat(3 << 20));
        assertEquals("file-too-large", onlyError(validate(body, Dataset.POPULATION, loose)).code());
    }

    @Test
    void anEndlessFieldInsideTheRatioStopsAtTheFieldLimit() throws IOException {
        InputLimits loose = new InputLimits(64L << 20, 1L << 30, 1_000_000, 4096, 65_536, 64, 16);
        Issue issue = onlyError(validate(gzip(HEADER + "2020,\"" + "a".repeat(8 << 20)), Dataset.POPULATION, loose));
        assertEquals("field-too-long", issue.code());
        assertEquals(2, issue.line());
        assertEquals("coo_name", issue.column());
    }

    @Test
    void aMegabyteFieldIsRefusedAndNeverQuoted() throws IOException {
        String huge = "7".repeat(1 << 20);
        ValidationReport report = validate(utf8(HEADER + ROW.replace(",100,", "," + huge + ",")), Dataset.POPULATION, DEFAULTS);
        Issue issue = onlyError(report);
        assertEquals("field-too-long", issue.code());
        assertEquals("refugees", issue.column());
        assertFalse(issue.message().contains("7777"), issue.message());
    }

    @Test
    void aLongButAllowedBadValueIsQuotedAsAShortPrefix() throws IOException {
        String bad = "x".repeat(3000);
        Issue issue = onlyError(validate(utf8(HEADER + ROW.replace(",100,", "," + bad + ",")), Dataset.POPULATION, DEFAULTS));
        assertEquals("not-an-integer", issue.code());
        assertTrue(issue.message().contains("'" + "x".repeat(40) + "…'"), issue.message());
        assertFalse(issue.message().contains("x".repeat(41)), issue.message());
    }

    @Test
    void aRowOfManyAllowedFieldsStopsAtTheRecordLimit() throws IOException {
        String row = ROW.replace("\"Syrian Arab Rep.\"", "\"" + "s".repeat(4000) + "\"")
                .replace("\"Germany\"", "\"" + "g".repeat(4000) + "\"");
        InputLimits tight = new InputLimits(64L << 20, 64L << 20, 200, 4096, 6000, 64, 16);
        Issue issue = onlyError(validate(utf8(HEADER + row), Dataset.POPULATION, tight));
        assertEquals("record-too-long", issue.code());
        assertEquals(2, issue.line());
    }

    @Test
    void aHugeHeaderIsRefusedAtItsLimit() throws IOException {
        String header = HEADER.strip() + ",x".repeat(250_000) + "\n";
        Issue issue = onlyError(validate(utf8(header + ROW), Dataset.POPULATION, DEFAULTS));
        assertEquals("too-many-columns", issue.code());
        assertEquals(1, issue.line());
    }

    @Test
    void aRowOfEndlessCommasIsRefusedAtTheColumnLimit() throws IOException {
        Issue issue = onlyError(validate(utf8(HEADER + ROW + ",".repeat(1 << 20) + "\n"), Dataset.POPULATION, DEFAULTS));
        assertEquals("too-many-fields", issue.code());
        assertEquals(3, issue.line());
    }

    @Test
    void nulInANameColumnIsRefusedWithLineAndColumn() throws IOException {
        Issue issue = onlyError(validate(utf8(HEADER + ROW + ROW.replace("Germany", "Ger\0many").replace("DEU", "FRA")), Dataset.POPULATION, DEFAULTS));
        assertEquals("nul-byte", issue.code());
        assertEquals(3, issue.line());
        assertEquals("coa_name", issue.column());
    }

    @Test
    void nulInACountAndInTheHeaderAreRefused() throws IOException {
        assertEquals("nul-byte", onlyError(validate(utf8(HEADER + ROW.replace(",100,", ",1\u00000,")), Dataset.POPULATION, DEFAULTS)).code());
        Issue header = onlyError(validate(utf8(HEADER.replace("year", "ye\0ar") + ROW), Dataset.POPULATION, DEFAULTS));
        assertEquals("nul-byte", header.code());
        assertEquals(1, header.line());
    }

    @Test
    void nulInJsonRawOrEscapedIsRefused() throws IOException {
        String raw = "{\"page\":1,\"items\":[" + ITEM.replace("\"SYR\"", "\"S\0YR\"") + "]}";
        assertEquals("nul-byte", onlyError(validate(utf8(raw), Dataset.ASYLUM_APPLICATIONS, DEFAULTS)).code());
        String escaped = "{\"page\":1,\"items\":[\n" + ITEM.replace("\"SYR\"", "\"S\\u0000YR\"") + "]}";
        Issue issue = onlyError(validate(utf8(escaped), Dataset.ASYLUM_APPLICATIONS, DEFAULTS));
        assertEquals("nul-byte", issue.code());
        assertEquals("coo_iso", issue.column());
        assertEquals(2, issue.line());
    }

    @Test
    void leadingBlankLinesOfAnyLengthAreSkippedAndAFileOfThemIsEmpty() throws IOException {
        String blank = "\n".repeat(70_000);
        ValidationReport valid = validate(utf8(blank + HEADER + ROW), Dataset.POPULATION, DEFAULTS);
        assertTrue(valid.valid(), () -> valid.errors().toString());
        assertEquals(1, valid.rows());
        assertEquals("empty-file", onlyError(validate(utf8(blank), Dataset.POPULATION, DEFAULTS)).code());
        assertTrue(validate(utf8(blank + "{\"page\":1,\"items\":[" + ITEM + "]}"), Dataset.ASYLUM_APPLICATIONS, DEFAULTS).valid());
    }

    @Test
    void deeplyNestedJsonIsRefused() throws IOException {
        String deep = "{\"page\":1,\"items\":[" + ITEM.replace("\"applied\":5", "\"applied\":" + "[".repeat(5000) + "]".repeat(5000)) + "]}";
        assertEquals("json-too-deep", onlyError(validate(utf8(deep), Dataset.ASYLUM_APPLICATIONS, DEFAULTS)).code());
        String deepBeforeItems = "{\"page\":" + "[".repeat(100) + "]".repeat(100) + ",\"items\":[" + ITEM + "]}";
        assertEquals("json-too-deep", onlyError(validate(utf8(deepBeforeItems), Dataset.ASYLUM_APPLICATIONS, DEFAULTS)).code());
    }

    @Test
    void overlongJsonStringsNumbersAndKeysAreRefused() throws IOException {
        String longString = "{\"page\":1,\"items\":[" + ITEM.replace("\"SYR\"", "\"" + "S".repeat(1 << 20) + "\"") + "]}";
        Issue issue = onlyError(validate(utf8(longString), Dataset.ASYLUM_APPLICATIONS, DEFAULTS));
        assertEquals("field-too-long", issue.code());
        assertFalse(issue.message().contains("SSSS"), issue.message());
        String longNumber = "{\"page\":1,\"items\":[" + ITEM.replace("\"applied\":5", "\"applied\":" + "9".repeat(5000)) + "]}";
        assertEquals("field-too-long", onlyError(validate(utf8(longNumber), Dataset.ASYLUM_APPLICATIONS, DEFAULTS)).code());
        String longKey = "{\"page\":1,\"items\":[" + ITEM.replace("\"year\"", "\"" + "k".repeat(100_000) + "\"") + "]}";
        assertEquals("field-too-long", onlyError(validate(utf8(longKey), Dataset.ASYLUM_APPLICATIONS, DEFAULTS)).code());
    }

    @Test
    void aJsonItemWithManyKeysIsRefusedAtTheColumnLimit() throws IOException {
        StringBuilder item = new StringBuilder(ITEM.substring(0, ITEM.length() - 1));
        for (int i = 0; i < 120_000; i++) {
            item.append(",\"k").append(i).append("\":1");
        }
        Issue issue = onlyError(validate(utf8("{\"page\":1,\"items\":[" + item + "}]}"), Dataset.ASYLUM_APPLICATIONS, DEFAULTS));
        assertEquals("too-many-columns", issue.code());
    }

    @Test
    void parserComplaintsNameNoJavaClass() throws IOException {
        Issue csv = onlyError(validate(utf8(HEADER + ROW.replace("\"Germany\"", "\"Germany")), Dataset.POPULATION, DEFAULTS));
        assertEquals("malformed-csv", csv.code());
        Issue unclosed = onlyError(validate(utf8(HEADER + ROW + "2020,\"open"), Dataset.POPULATION, DEFAULTS));
        assertEquals("malformed-csv", unclosed.code());
        Issue json = onlyError(validate(utf8("{\"page\":1,\"items\":[{\"year\":2020,"), Dataset.ASYLUM_APPLICATIONS, DEFAULTS));
        assertEquals("malformed-json", json.code());
        Issue truncated = onlyError(validate(new byte[]{0x1f, (byte) 0x8b, 8}, Dataset.POPULATION, DEFAULTS));
        assertEquals("malformed-gzip", truncated.code());
        for (Issue issue : new Issue[]{csv, unclosed, json, truncated}) {
            assertFalse(issue.message().matches("(?s).*(java\\.|Exception|StreamRead|\\w+\\.\\w+\\.\\w+).*"), issue.message());
        }
    }

    private static ValidationReport validate(byte[] body, Dataset dataset, InputLimits limits) throws IOException {
        return new DatasetLoader(TestReference.COUNTRIES, limits).validate(new ByteArrayInputStream(body), dataset);
    }

    private static Issue onlyError(ValidationReport report) {
        assertFalse(report.valid());
        assertEquals(1, report.errorCount(), () -> report.errors().toString());
        return report.errors().getFirst();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(out)) {
            gz.write(utf8(text));
        }
        return out.toByteArray();
    }
}
