package org.asylumstats.ingest.core;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import static org.asylumstats.testing.DemographicsAndSolutionsSamples.DEMOGRAPHICS;
import static org.asylumstats.testing.DemographicsAndSolutionsSamples.DEMOGRAPHICS_LABELLED;
import static org.asylumstats.testing.DemographicsAndSolutionsSamples.DEMO_ROW;
import static org.asylumstats.testing.DemographicsAndSolutionsSamples.SOLUTIONS;
import static org.asylumstats.testing.DemographicsAndSolutionsSamples.SOLUTIONS_LABELLED;
import static org.asylumstats.testing.DemographicsAndSolutionsSamples.SOL_ROW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bad-input corpus of the demographics and solutions files (each refused with its code) and
 * the formats they come in (each read as the snake_case CSV is).
 */
class DemographicsAndSolutionsCheckTest {

    /** Persons without any breakdown: every band empty, only the total. */
    static final String DEMO_TOTAL_ONLY = "2022,\"Sudan\",\"SUD\",\"SDN\",\"Chad\",\"CHD\",\"TCD\",\"ASY\",\"Urban areas\",\"U\",\"I\"," + ",".repeat(14) + "7\n";
    static final String POPULATION = "year,coo_name,coo,coo_iso,coa_name,coa,coa_iso,refugees,asylum_seekers,returned_refugees,idps,returned_idps,stateless,ooc,oip,hst\n";
    static final String POP_ROW = "2020,\"Syrian Arab Rep.\",\"SYR\",\"SYR\",\"Germany\",\"GFR\",\"DEU\",100,5,-,,0,0,0,,0\n";

    /** The file, the dataset it is uploaded as, the code it must be refused with, and the column named (null: none). */
    static Stream<Arguments> badFiles() {
        return Stream.of(
                bad("f bands do not add up to f_total", DEMOGRAPHICS + DEMO_ROW.replace(",15,", ",16,").replace(",25\n", ",26\n"),
                        Dataset.DEMOGRAPHICS, "bands-do-not-add-up", "f_total"),
                bad("m bands do not add up to m_total", DEMOGRAPHICS + DEMO_ROW.replace(",1,1,1,1,1,0,5,", ",1,1,1,1,1,0,4,"),
                        Dataset.DEMOGRAPHICS, "bands-do-not-add-up", "m_total"),
                bad("f_total above the total", DEMOGRAPHICS + DEMO_ROW.replace(",25\n", ",19\n"), Dataset.DEMOGRAPHICS, "total-below-breakdown", "total"),
                bad("a band above its total when others are not reported", DEMOGRAPHICS + DEMO_ROW.replace(",1,2,3,4,5,0,15,", ",,,,16,,,15,"),
                        Dataset.DEMOGRAPHICS, "total-below-breakdown", "f_total"),
                bad("bands without their f_total", DEMOGRAPHICS + DEMO_ROW.replace(",0,15,", ",0,,"), Dataset.DEMOGRAPHICS, "total-not-reported", "f_total"),
                bad("a breakdown without the total", DEMOGRAPHICS + DEMO_ROW.replace(",25\n", ",\n"), Dataset.DEMOGRAPHICS, "total-not-reported", "total"),
                bad("unknown pop_type", DEMOGRAPHICS + DEMO_ROW.replace("\"REF\"", "\"RFG\""), Dataset.DEMOGRAPHICS, "unknown-code", "pop_type"),
                bad("unknown loc_type", DEMOGRAPHICS + DEMO_ROW.replace("\"R\",\"P\"", "\"X\",\"P\""), Dataset.DEMOGRAPHICS, "unknown-code", "loc_type"),
                bad("unknown acc_type", DEMOGRAPHICS + DEMO_ROW.replace("\"R\",\"P\"", "\"R\",\"Z\""), Dataset.DEMOGRAPHICS, "unknown-code", "acc_type"),
                bad("empty pop_type", DEMOGRAPHICS + DEMO_ROW.replace("\"REF\"", "\"\""), Dataset.DEMOGRAPHICS, "missing-value", "pop_type"),
                bad("duplicate demographics key", DEMOGRAPHICS + DEMO_ROW + DEMO_TOTAL_ONLY + DEMO_ROW.replace(",25\n", ",30\n"),
                        Dataset.DEMOGRAPHICS, "duplicate-key", null),
                bad("duplicate key whose location differs only by surrounding spaces", DEMOGRAPHICS + DEMO_ROW
                        + DEMO_ROW.replace("\"Camp Farchana\"", "\" Camp Farchana \""), Dataset.DEMOGRAPHICS, "duplicate-key", null),
                bad("population file uploaded as demographics", POPULATION + POP_ROW, Dataset.DEMOGRAPHICS, "dataset-mismatch", null),
                bad("demographics file uploaded as solutions", DEMOGRAPHICS + DEMO_ROW, Dataset.SOLUTIONS, "dataset-mismatch", null),
                bad("population file uploaded as solutions", POPULATION + POP_ROW, Dataset.SOLUTIONS, "dataset-mismatch", null),
                bad("solutions file uploaded as population", SOLUTIONS + SOL_ROW, Dataset.POPULATION, "dataset-mismatch", null),
                bad("demographics without the location column", DEMOGRAPHICS.replace(",location", "")
                        + DEMO_ROW.replace("\"Camp Farchana\",", ""), Dataset.DEMOGRAPHICS, "missing-column", "location"),
                bad("demographics without f_60", DEMOGRAPHICS.replace(",f_60", "") + DEMO_ROW.replace(",4,5,0,15,", ",4,0,15,"),
                        Dataset.DEMOGRAPHICS, "missing-column", "f_60"),
                bad("demographics without pop_type", DEMOGRAPHICS.replace(",pop_type", "") + DEMO_ROW.replace("\"REF\",", ""),
                        Dataset.DEMOGRAPHICS, "missing-column", "pop_type"),
                bad("solutions without naturalisation", SOLUTIONS.replace(",naturalisation", "") + SOL_ROW.replace(",35,", ","),
                        Dataset.SOLUTIONS, "missing-column", "naturalisation"),
                bad("negative band", DEMOGRAPHICS + DEMO_ROW.replace(",1,2,3,4,5,0,15,", ",1,2,3,4,5,-1,14,"), Dataset.DEMOGRAPHICS, "negative-count", "f_other"),
                bad("fractional total", DEMOGRAPHICS + DEMO_ROW.replace(",25\n", ",25.5\n"), Dataset.DEMOGRAPHICS, "not-an-integer", "total"),
                bad("fractional band", DEMOGRAPHICS + DEMO_ROW.replace(",1,2,3,4,5,0,15,", ",1,2,3,4.0,5,0,15,"), Dataset.DEMOGRAPHICS, "not-an-integer", "f_18_59"),
                bad("empty location", DEMOGRAPHICS + DEMO_ROW.replace("\"Camp Farchana\"", "\"\""), Dataset.DEMOGRAPHICS, "missing-value", "location"),
                bad("blank location", DEMOGRAPHICS + DEMO_ROW.replace("\"Camp Farchana\"", "\"   \""), Dataset.DEMOGRAPHICS, "missing-value", "location"),
                bad("201-character location", DEMOGRAPHICS + DEMO_ROW.replace("Camp Farchana", "L".repeat(201)), Dataset.DEMOGRAPHICS, "value-too-long", "location"),
                bad("negative resettlement", SOLUTIONS + SOL_ROW.replace(",1200,", ",-1200,"), Dataset.SOLUTIONS, "negative-count", "resettlement"),
                bad("fractional naturalisation", SOLUTIONS + SOL_ROW.replace(",35,", ",3.5,"), Dataset.SOLUTIONS, "not-an-integer", "naturalisation"),
                bad("text in returned_idps", SOLUTIONS + SOL_ROW.replace(",35,\n", ",35,n/a\n"), Dataset.SOLUTIONS, "not-an-integer", "returned_idps"),
                bad("duplicate solutions key", SOLUTIONS + SOL_ROW + SOL_ROW.replace(",1200,", ",1,"), Dataset.SOLUTIONS, "duplicate-key", null),
                bad("solutions without a year", SOLUTIONS + SOL_ROW.replace("2023,", ","), Dataset.SOLUTIONS, "missing-value", "year"),
                bad("solutions without a country of asylum", SOLUTIONS + SOL_ROW.replace("\"GFR\",\"DEU\"", "\"\",\"\""),
                        Dataset.SOLUTIONS, "missing-value", "coa_iso"),
                bad("solutions count with a thousands separator", SOLUTIONS + SOL_ROW.replace(",1200,", ",\"1,200\","),
                        Dataset.SOLUTIONS, "not-an-integer", "resettlement"),
                bad("solutions header without rows", SOLUTIONS, Dataset.SOLUTIONS, "no-rows", null),
                bad("unknown country in solutions", SOLUTIONS + SOL_ROW.replace("\"DEU\"", "\"ZZZ\""), Dataset.SOLUTIONS, "unknown-country", "coa_iso"),
                bad("demographics before any year", DEMOGRAPHICS + DEMO_ROW.replace("2023,", "1950,"), Dataset.DEMOGRAPHICS, "year-out-of-range", "year"),
                bad("JSON page with an unknown pop_type", apiPage(DEMO_JSON_ITEM.replace("\"REF\"", "\"XYZ\"")), Dataset.DEMOGRAPHICS, "unknown-code", "pop_type"),
                bad("JSON page whose bands do not add up", apiPage(DEMO_JSON_ITEM.replace("\"f_total\":15", "\"f_total\":14")),
                        Dataset.DEMOGRAPHICS, "bands-do-not-add-up", "f_total"),
                bad("JSON page with a negative resettlement", apiPage(SOL_JSON_ITEM.replace("\"resettlement\":1200", "\"resettlement\":-1")),
                        Dataset.SOLUTIONS, "negative-count", "resettlement"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void refusedWithItsCode(String name, String body, Dataset dataset, String code, String column) throws IOException {
        ValidationReport report = validate(body.getBytes(StandardCharsets.UTF_8), dataset);
        assertFalse(report.valid(), name);
        assertEquals(0, report.rows(), "nothing is counted as loaded");
        assertEquals(code, report.errors().get(0).code(), () -> report.errors().toString());
        assertEquals(column, report.errors().get(0).column(), () -> report.errors().toString());
        assertTrue(report.errors().stream().allMatch(e -> e.message().length() <= 400), "messages are bounded");
    }

    @Test
    void theCorpusHoldsAtLeastTwelveCasesOfEachDataset() {
        assertTrue(badFiles().filter(a -> a.get()[2] == Dataset.DEMOGRAPHICS).count() >= 12);
        assertTrue(badFiles().filter(a -> a.get()[2] == Dataset.SOLUTIONS).count() >= 12);
    }

    @Test
    void aLocationOfTwoHundredCharactersIsKeptEvenOutsideTheBasicPlane() throws IOException {
        // 200 characters each two UTF-16 units long: counted as characters, not as 400 units
        String emoji = new String(Character.toChars(0x1F3D5)).repeat(200);
        ValidationReport report = validate((DEMOGRAPHICS + DEMO_ROW.replace("Camp Farchana", emoji)
                + DEMO_ROW.replace("Camp Farchana", "L".repeat(200))).getBytes(StandardCharsets.UTF_8), Dataset.DEMOGRAPHICS);
        assertTrue(report.valid(), () -> report.errors().toString());
        assertEquals(2, report.rows());
    }

    @Test
    void locationsWithTabsBackslashesAndLineBreaksInsideQuotesAreValidAndDistinctKeys() throws IOException {
        ValidationReport report = validate((DEMOGRAPHICS + DEMO_ROW.replace("Camp Farchana", "Camp\tA")
                + DEMO_ROW.replace("Camp Farchana", "Camp\\A") + DEMO_ROW.replace("Camp Farchana", "Camp\nA")
                + DEMO_ROW.replace("Camp Farchana", "Camp\r\nA")).getBytes(StandardCharsets.UTF_8), Dataset.DEMOGRAPHICS);
        assertTrue(report.valid(), () -> report.errors().toString());
        assertEquals(4, report.rows());
    }

    @Test
    void aTotalWithoutAnyBreakdownAndEmptyCountsAreNotReportedNotErrors() throws IOException {
        ValidationReport demographics = validate((DEMOGRAPHICS + DEMO_ROW + DEMO_TOTAL_ONLY).getBytes(StandardCharsets.UTF_8), Dataset.DEMOGRAPHICS);
        assertTrue(demographics.valid(), () -> demographics.errors().toString());
        assertEquals(List.of(2022, 2023), demographics.years());
        ValidationReport solutions = validate((SOLUTIONS + SOL_ROW + SOL_ROW.replace("2023,", "2022,").replace(",1200,35,", ",-,-,"))
                .getBytes(StandardCharsets.UTF_8), Dataset.SOLUTIONS);
        assertTrue(solutions.valid(), () -> solutions.errors().toString());
        assertEquals(2, solutions.rows());
    }

    static final String DEMO_JSON_ITEM = "{\"year\":2023,\"coo_name\":\"Sudan\",\"coo\":\"SUD\",\"coo_iso\":\"SDN\",\"coa_name\":\"Chad\",\"coa\":\"CHD\","
            + "\"coa_iso\":\"TCD\",\"pop_type\":\"REF\",\"location\":\"Camp Farchana\",\"loc_type\":\"R\",\"acc_type\":\"P\",\"f_0_4\":1,\"f_5_11\":2,"
            + "\"f_12_17\":3,\"f_18_59\":4,\"f_60\":5,\"f_other\":0,\"f_total\":15,\"m_0_4\":1,\"m_5_11\":1,\"m_12_17\":1,\"m_18_59\":1,\"m_60\":1,"
            + "\"m_other\":0,\"m_total\":5,\"total\":25,\"extra\":\"ignored\"}";
    static final String DEMO_JSON_TOTAL_ONLY = "{\"year\":2022,\"coo_name\":\"Sudan\",\"coo\":\"SUD\",\"coo_iso\":\"SDN\",\"coa_name\":\"Chad\",\"coa\":\"CHD\","
            + "\"coa_iso\":\"TCD\",\"pop_type\":\"ASY\",\"location\":\"Urban areas\",\"loc_type\":\"U\",\"acc_type\":\"I\",\"f_0_4\":\"-\",\"f_5_11\":\"-\","
            + "\"f_12_17\":\"-\",\"f_18_59\":\"-\",\"f_60\":\"-\",\"f_other\":\"-\",\"f_total\":\"-\",\"m_0_4\":\"-\",\"m_5_11\":\"-\",\"m_12_17\":\"-\","
            + "\"m_18_59\":\"-\",\"m_60\":\"-\",\"m_other\":\"-\",\"m_total\":null,\"total\":7}";
    static final String SOL_JSON_ITEM = "{\"year\":2023,\"coo_name\":\"Syrian Arab Rep.\",\"coo\":\"SYR\",\"coo_iso\":\"SYR\",\"coa_name\":\"Germany\","
            + "\"coa\":\"GFR\",\"coa_iso\":\"DEU\",\"returned_refugees\":\"-\",\"resettlement\":1200,\"naturalisation\":35,\"returned_idps\":\"-\"}";

    static String apiPage(String... items) {
        return "{\"page\":1,\"maxPages\":1,\"items\":[" + String.join(",\n", items) + "]}";
    }


    static Stream<Arguments> sameFiguresInEveryFormat() throws IOException {
        String demo = DEMOGRAPHICS + DEMO_ROW + DEMO_TOTAL_ONLY;
        String sol = SOLUTIONS + SOL_ROW + SOL_ROW.replace("2023,", "2022,");
        return Stream.of(
                Arguments.of("snake-case-csv", demo.getBytes(StandardCharsets.UTF_8), Dataset.DEMOGRAPHICS, "snake-case-csv"),
                Arguments.of("gzip", gzip(demo), Dataset.DEMOGRAPHICS, "snake-case-csv+gzip"),
                Arguments.of("CRLF and BOM", ("\uFEFF" + demo.replace("\n", "\r\n")).getBytes(StandardCharsets.UTF_8), Dataset.DEMOGRAPHICS, "snake-case-csv"),
                Arguments.of("labelled header", (DEMOGRAPHICS_LABELLED + DEMO_ROW + DEMO_TOTAL_ONLY).getBytes(StandardCharsets.UTF_8),
                        Dataset.DEMOGRAPHICS, "labelled-csv"),
                Arguments.of("API page", apiPage(DEMO_JSON_ITEM, DEMO_JSON_TOTAL_ONLY).getBytes(StandardCharsets.UTF_8), Dataset.DEMOGRAPHICS, "api-json"),
                Arguments.of("solutions snake-case-csv", sol.getBytes(StandardCharsets.UTF_8), Dataset.SOLUTIONS, "snake-case-csv"),
                Arguments.of("solutions gzip of CRLF and BOM", gzip("\uFEFF" + sol.replace("\n", "\r\n")), Dataset.SOLUTIONS, "snake-case-csv+gzip"),
                Arguments.of("solutions labelled header", (SOLUTIONS_LABELLED + SOL_ROW + SOL_ROW.replace("2023,", "2022,")).getBytes(StandardCharsets.UTF_8),
                        Dataset.SOLUTIONS, "labelled-csv"),
                Arguments.of("solutions API page", apiPage(SOL_JSON_ITEM, SOL_JSON_ITEM.replace("2023", "2022")).getBytes(StandardCharsets.UTF_8),
                        Dataset.SOLUTIONS, "api-json"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sameFiguresInEveryFormat")
    void everyFormatIsReadWithoutFinding(String name, byte[] body, Dataset dataset, String format) throws IOException {
        ValidationReport report = validate(body, dataset);
        assertTrue(report.valid(), () -> name + ": " + report.errors());
        assertEquals(format, report.format());
        assertEquals(2, report.rows());
        assertEquals(List.of(2022, 2023), report.years());
        assertTrue(report.warnings().stream().allMatch(w -> w.code().equals("unknown-column")), () -> report.warnings().toString());
    }

    private static ValidationReport validate(byte[] body, Dataset dataset) throws IOException {
        return new DatasetLoader(TestReference.COUNTRIES, 1L << 20).validate(new ByteArrayInputStream(body), dataset);
    }

    private static Arguments bad(String name, String body, Dataset dataset, String code, String column) {
        return Arguments.of(name, body, dataset, code, column);
    }

    static byte[] gzip(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
