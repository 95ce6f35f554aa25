package org.asylumstats.stats;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.asylumstats.testing.KeycloakResource;
import org.asylumstats.testing.PostgresResource;
import org.asylumstats.testing.RawUnhcrFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.asylumstats.stats.GraphQlAnswersTest.graphql;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Every figure query for several origins, each answer recomputed from the raw gt2023 and my2023
 * files inside the test: top destinations, period totals, compare, peak, revisions, recognition rates.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "role", value = "reader"))
@QuarkusTestResource(KeycloakResource.class)
class EveryQueryForThreeOriginsTest {

    static final RawUnhcrFile GT = GraphQlAnswersTest.GT_POPULATION;
    static final RawUnhcrFile MY = GraphQlAnswersTest.MY_POPULATION;
    static final RawUnhcrFile DECISIONS = RawUnhcrFile.read("gt2023/asylum_decisions.csv.gz");

    @BeforeEach
    void published() {
        PublishedReleases.ensure();
    }

    /** Refugees from {@code origin} in {@code year} by country of asylum (ISO), from the raw file. */
    static Map<String, Long> byAsylum(RawUnhcrFile file, String origin, int year) {
        int o = file.header().indexOf("coo_iso");
        int y = file.header().indexOf("year");
        int a = file.header().indexOf("coa_iso");
        int v = file.header().indexOf("refugees");
        Map<String, Long> out = new HashMap<>();
        for (String[] row : file.rows()) {
            if (row[o].equals(origin) && row[y].equals(Integer.toString(year)) && !row[v].isEmpty()) {
                out.merge(row[a].equals("UNK") ? "XXX" : row[a], Long.parseLong(row[v]), Long::sum);
            }
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"SYR", "AFG", "VEN", "SSD"})
    void topTenDestinations(String origin) {
        JsonPath answer = graphql("{ figures(measure: REFUGEES, filter: {origin: [\"" + origin + "\"], years: {from: 2022, to: 2022}}, groupBy: [ASYLUM], first: 10) { totalRows rows { asylum { code } value } } }");
        Map<String, Long> expected = byAsylum(GT, origin, 2022);
        List<Long> top = expected.values().stream().sorted(Comparator.reverseOrder()).limit(10).toList();
        assertEquals(expected.size(), answer.getInt("data.figures.totalRows"));
        List<Map<String, Object>> rows = answer.getList("data.figures.rows");
        for (int i = 0; i < rows.size(); i++) {
            String code = (String) ((Map<?, ?>) rows.get(i).get("asylum")).get("code");
            long value = ((Number) rows.get(i).get("value")).longValue();
            assertEquals(top.get(i), value, origin + " rank " + (i + 1));
            assertEquals(expected.get(code), value, origin + " to " + code);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"UKR", "MMR", "COD"})
    void periodTotalsCompareAndPeak(String origin) {
        long period = 0;
        long baseline = 0;
        for (int y = 2013; y <= 2023; y++) {
            period += GraphQlAnswersTest.raw(GT, "refugees", origin, y);
        }
        for (int y = 2003; y <= 2012; y++) {
            Long v = GraphQlAnswersTest.raw(GT, "refugees", origin, y);
            baseline += v == null ? 0 : v;
        }
        JsonPath answer = graphql("{ total: figures(measure: REFUGEES, filter: {origin: [\"" + origin + "\"], years: {from: 2013, to: 2023}}) { total }"
                + " compare(measure: REFUGEES, filter: {origin: [\"" + origin + "\"]}, period: {from: 2013, to: 2023}, baseline: {from: 2003, to: 2012}) { periodTotal baselineTotal ratio }"
                + " peak(measure: REFUGEES, filter: {origin: [\"" + origin + "\"], years: {from: 2000, to: 2023}}) { year value } }");
        assertEquals(period, answer.getLong("data.total.total"));
        assertEquals(period, answer.getLong("data.compare.periodTotal"));
        assertEquals(baseline, answer.getLong("data.compare.baselineTotal"));
        assertEquals((period / 11.0) / (baseline / 10.0), answer.getDouble("data.compare.ratio"), 1e-9);
        long max = 0;
        int maxYear = 0;
        for (int y = 2000; y <= 2023; y++) {
            Long v = GraphQlAnswersTest.raw(GT, "refugees", origin, y);
            if (v != null && v > max) {
                max = v;
                maxYear = y;
            }
        }
        assertEquals(maxYear, answer.getInt("data.peak.year"));
        assertEquals(max, answer.getLong("data.peak.value"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"SYR", "UKR", "SDN"})
    void revisionsPerOriginAndAsylum(String origin) {
        JsonPath answer = graphql("{ revisions(measure: REFUGEES, filter: {origin: [\"" + origin + "\"], asylum: [\"DEU\"], years: {from: 2023, to: 2023}}, groupBy: [YEAR, ORIGIN, ASYLUM]) { year origin { code } asylum { code } vintages { value change status } } }");
        Long mid = MY.sum("refugees", Map.of("coo_iso", origin, "coa_iso", "DEU", "year", "2023"));
        Long end = GT.sum("refugees", Map.of("coo_iso", origin, "coa_iso", "DEU", "year", "2023"));
        assertEquals(origin, answer.getString("data.revisions[0].origin.code"));
        assertEquals("DEU", answer.getString("data.revisions[0].asylum.code"));
        assertEquals(mid, answer.getLong("data.revisions[0].vintages[0].value"));
        assertNull(answer.get("data.revisions[0].vintages[0].change"));
        assertEquals(end, answer.getLong("data.revisions[0].vintages[1].value"));
        assertEquals(end - mid, answer.getLong("data.revisions[0].vintages[1].change"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"SYR", "AFG", "IRQ"})
    void recognitionRatesByYear(String origin) {
        JsonPath answer = graphql("{ recognitionRates(filter: {origin: [\"" + origin + "\"], years: {from: 2019, to: 2022}}, groupBy: [YEAR]) { year recognized complementary rejected totalRecognitionRate } }");
        for (int i = 0; i < 4; i++) {
            Map<String, String> f = Map.of("coo_iso", origin, "year", Integer.toString(2019 + i), "dec_pc", "P");
            long rec = DECISIONS.sum("dec_recognized", f);
            long comp = DECISIONS.sum("dec_other", f);
            long rej = DECISIONS.sum("dec_rejected", f);
            assertEquals(2019 + i, answer.getInt("data.recognitionRates[" + i + "].year"));
            assertEquals(rec, answer.getLong("data.recognitionRates[" + i + "].recognized"));
            assertEquals(comp, answer.getLong("data.recognitionRates[" + i + "].complementary"));
            assertEquals(rej, answer.getLong("data.recognitionRates[" + i + "].rejected"));
            assertEquals((double) (rec + comp) / (rec + comp + rej), answer.getDouble("data.recognitionRates[" + i + "].totalRecognitionRate"), 1e-12);
        }
    }
}
