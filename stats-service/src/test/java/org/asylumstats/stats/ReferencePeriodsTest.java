package org.asylumstats.stats;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.asylumstats.testing.KeycloakResource;
import org.asylumstats.testing.PostgresResource;
import org.asylumstats.testing.RawUnhcrFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.asylumstats.stats.GraphQlAnswersTest.graphql;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mid-Year Trends 2023 covers 2023 only to 30 June; Global Trends 2023 the whole year. Every
 * expected figure is summed from the raw files; "as of" my2023 is what users saw before gt2023.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "role", value = "reader"))
@QuarkusTestResource(KeycloakResource.class)
class ReferencePeriodsTest {

    private static final RawUnhcrFile MY_APPLICATIONS = RawUnhcrFile.read("my2023/asylum_applications.csv.gz");
    private static final RawUnhcrFile GT_APPLICATIONS = RawUnhcrFile.read("gt2023/asylum_applications.csv.gz");
    private static final RawUnhcrFile MY_DECISIONS = RawUnhcrFile.read("my2023/asylum_decisions.csv.gz");
    private static final RawUnhcrFile GT_DECISIONS = RawUnhcrFile.read("gt2023/asylum_decisions.csv.gz");

    @BeforeEach
    void published() {
        PublishedReleases.ensure();
    }

    private static String asOfMidYear() {
        return "asOf: \"" + PublishedReleases.midYear + "\"";
    }

    private static long applications(RawUnhcrFile file, int year) {
        return file.sum("applied", Map.of("year", Integer.toString(year), "app_pc", "P"));
    }

    private static long decisions(RawUnhcrFile file, String column, int year) {
        return file.sum(column, Map.of("year", Integer.toString(year), "dec_pc", "P"));
    }

    private static long asylumSeekers(String origin, int year) {
        return GraphQlAnswersTest.raw(GraphQlAnswersTest.MY_POPULATION, "asylum_seekers", origin, year);
    }

    private static long number(Object value) {
        return ((Number) value).longValue();
    }

    @Test
    void releasesSayWhichYearsTheyCoverOnlyInPart() {
        JsonPath answer = graphql("{ my: release(id: \"" + PublishedReleases.midYear + "\") { referencePeriods { year end } }"
                + " gt: release(id: \"" + PublishedReleases.globalTrends + "\") { referencePeriods { year end } } }");
        assertEquals(List.of(Map.of("year", 2023, "end", "2023-06-30")), answer.getList("data.my.referencePeriods"));
        assertEquals(List.of(), answer.getList("data.gt.referencePeriods"));
    }

    @Test
    void aHalfYearOfApplicationsIsInTheSeriesFlaggedAndLeftOutOfPeak() {
        JsonPath answer = graphql("{ series(measure: APPLICATIONS, filter: {years: {from: 2021, to: 2023}}, " + asOfMidYear() + ")"
                + " { year value change changePercent status periodEnd partial }"
                + " peak(measure: APPLICATIONS, filter: {origin: [\"COL\"]}, " + asOfMidYear() + ") { year value partial } }");
        List<Map<String, Object>> points = answer.getList("data.series");
        assertEquals(3, points.size());
        for (Map<String, Object> p : points) {
            int year = (Integer) p.get("year");
            assertEquals(applications(MY_APPLICATIONS, year), number(p.get("value")), "applications " + year);
            assertEquals(year == 2023, p.get("partial"), "partial " + year);
            assertEquals(year == 2023 ? "2023-06-30" : year + "-12-31", p.get("periodEnd"));
            assertEquals(year == 2023 ? "PRELIMINARY" : "FINAL", p.get("status"));
        }
        assertEquals(1_739_801L, number(points.get(2).get("value")), "the README's mid-year figure");
        assertEquals(applications(MY_APPLICATIONS, 2023) - applications(MY_APPLICATIONS, 2022), number(points.get(2).get("change")));
        assertNull(points.get(2).get("changePercent"), "half a year against a whole one is no rate of change");
        assertTrue(points.get(1).get("changePercent") instanceof Number, "2022 against 2021 is");
        // Colombians applied more in January-June 2023 than in any earlier whole year: a half year is still no candidate
        long colombiaFirstHalf = MY_APPLICATIONS.sum("applied", Map.of("year", "2023", "app_pc", "P", "coo_iso", "COL"));
        long colombia2022 = MY_APPLICATIONS.sum("applied", Map.of("year", "2022", "app_pc", "P", "coo_iso", "COL"));
        assertTrue(colombiaFirstHalf > colombia2022, "the raw file still makes the point");
        assertEquals(2022, answer.getInt("data.peak.year"));
        assertEquals(colombia2022, answer.getLong("data.peak.value"));
        assertEquals(false, answer.getBoolean("data.peak.partial"));
    }

    @Test
    void theEndYearFigureCoversTheWholeYear() {
        JsonPath answer = graphql("{ series(measure: APPLICATIONS, filter: {years: {from: 2023, to: 2023}}) { value periodEnd partial status }"
                + " figures(measure: APPLICATIONS, filter: {years: {from: 2023, to: 2023}}) { total partialYears caveats rows { periodEnd } } }");
        assertEquals(3_847_287L, answer.getLong("data.series[0].value"));
        assertEquals(applications(GT_APPLICATIONS, 2023), answer.getLong("data.series[0].value"));
        assertEquals("2023-12-31", answer.getString("data.series[0].periodEnd"));
        assertEquals(false, answer.getBoolean("data.series[0].partial"));
        assertEquals(List.of(), answer.getList("data.figures.partialYears"));
        assertEquals("2023-12-31", answer.getString("data.figures.rows[0].periodEnd"));
    }

    @Test
    void aFiguresTableNamesItsPartialYearsAndEachYearsPeriodEnd() {
        JsonPath answer = graphql("{ figures(measure: APPLICATIONS, filter: {years: {from: 2022, to: 2023}}, groupBy: [YEAR], " + asOfMidYear() + ")"
                + " { total partialYears caveats rows { year value periodEnd } }"
                + " whole: figures(measure: APPLICATIONS, filter: {years: {from: 2022, to: 2023}}, " + asOfMidYear() + ") { rows { periodEnd } } }");
        assertEquals(List.of(2023), answer.getList("data.figures.partialYears"));
        assertTrue(answer.getList("data.figures.caveats").contains("2023 covers 1 January to 30 June 2023 only"),
                () -> answer.getList("data.figures.caveats").toString());
        assertEquals(applications(MY_APPLICATIONS, 2022) + applications(MY_APPLICATIONS, 2023), answer.getLong("data.figures.total"));
        for (Map<String, Object> row : answer.<Map<String, Object>>getList("data.figures.rows")) {
            int year = (Integer) row.get("year");
            assertEquals(year == 2023 ? "2023-06-30" : "2022-12-31", row.get("periodEnd"));
            assertEquals(applications(MY_APPLICATIONS, year), number(row.get("value")));
        }
        // two years added up are no one year's figure
        assertNull(answer.getString("data.whole.rows[0].periodEnd"));
    }

    @Test
    void aMidYearStockIsTheLatestCountFlaggedAndCounted() {
        JsonPath answer = graphql("{ figures(measure: ASYLUM_SEEKERS, filter: {origin: [\"CHN\"], years: {from: 2023, to: 2023}}, " + asOfMidYear() + ")"
                + " { total partialYears caveats rows { periodEnd } }"
                + " compare(measure: ASYLUM_SEEKERS, filter: {origin: [\"CHN\"]}, period: {from: 2023, to: 2023}, baseline: {from: 2022, to: 2022}, "
                + asOfMidYear() + ") { periodTotal baselineTotal ratio partialYears caveats }"
                + " peak(measure: ASYLUM_SEEKERS, filter: {origin: [\"CHN\"], years: {from: 2023, to: 2023}}, " + asOfMidYear() + ") { year partial periodEnd } }");
        assertEquals(asylumSeekers("CHN", 2023), answer.getLong("data.figures.total"));
        assertEquals(List.of(2023), answer.getList("data.figures.partialYears"));
        assertTrue(answer.getList("data.figures.caveats").contains("2023 is counted at 30 June 2023, not 31 December"));
        assertEquals("2023-06-30", answer.getString("data.figures.rows[0].periodEnd"));
        assertEquals(asylumSeekers("CHN", 2023), answer.getLong("data.compare.periodTotal"));
        assertEquals(asylumSeekers("CHN", 2022), answer.getLong("data.compare.baselineTotal"));
        assertEquals(List.of(2023), answer.getList("data.compare.partialYears"));
        assertTrue(answer.getList("data.compare.caveats").contains("2023 is counted at 30 June 2023, not 31 December"));
        assertEquals(2023, answer.getInt("data.peak.year"));
        assertEquals(true, answer.getBoolean("data.peak.partial"));
        assertEquals("2023-06-30", answer.getString("data.peak.periodEnd"));
    }

    @Test
    void compareLeavesAHalfYearOfFlowsOutOfBothPeriodsAndSaysSo() {
        JsonPath answer = graphql("{ compare(measure: APPLICATIONS, period: {from: 2022, to: 2023}, baseline: {from: 2020, to: 2021}, "
                + asOfMidYear() + ") { periodTotal baselineTotal periodYearlyMean baselineYearlyMean ratio partialYears caveats } }");
        long period = applications(MY_APPLICATIONS, 2022);
        long baseline = applications(MY_APPLICATIONS, 2020) + applications(MY_APPLICATIONS, 2021);
        assertEquals(period, answer.getLong("data.compare.periodTotal"));
        assertEquals(baseline, answer.getLong("data.compare.baselineTotal"));
        assertEquals(period, answer.getDouble("data.compare.periodYearlyMean"), 1e-6, "one whole year counted");
        assertEquals(baseline / 2.0, answer.getDouble("data.compare.baselineYearlyMean"), 1e-6);
        assertEquals(period / (baseline / 2.0), answer.getDouble("data.compare.ratio"), 1e-9);
        assertEquals(List.of(2023), answer.getList("data.compare.partialYears"));
        assertEquals(List.of("2023 left out: it covers 1 January to 30 June 2023 only, and flows are compared over whole years"),
                answer.getList("data.compare.caveats"));

        JsonPath onlyHalf = graphql("{ compare(measure: APPLICATIONS, period: {from: 2023, to: 2023}, baseline: {from: 2022, to: 2022}, "
                + asOfMidYear() + ") { periodTotal periodYearlyMean ratio partialYears } }");
        assertNull(onlyHalf.get("data.compare.periodTotal"), "nothing left to count");
        assertNull(onlyHalf.get("data.compare.ratio"));
        assertEquals(List.of(2023), onlyHalf.getList("data.compare.partialYears"));

        JsonPath current = graphql("{ compare(measure: APPLICATIONS, period: {from: 2022, to: 2023}, baseline: {from: 2020, to: 2021})"
                + " { periodTotal partialYears caveats } }");
        assertEquals(applications(GT_APPLICATIONS, 2022) + applications(GT_APPLICATIONS, 2023), current.getLong("data.compare.periodTotal"));
        assertEquals(List.of(), current.getList("data.compare.partialYears"));
        assertEquals(List.of(), current.getList("data.compare.caveats"));
    }

    @Test
    void revisionsSayWhenTheReferencePeriodChanged() {
        JsonPath answer = graphql("{ revisions(measure: APPLICATIONS, filter: {years: {from: 2022, to: 2023}})"
                + " { year vintages { release { title } value change changePercent periodEnd comparable } } }");
        List<Map<String, Object>> revisions = answer.getList("data.revisions");
        assertEquals(2, revisions.size());
        Map<Integer, List<Map<String, Object>>> byYear = Map.of(
                (Integer) revisions.get(0).get("year"), vintages(revisions.get(0)), (Integer) revisions.get(1).get("year"), vintages(revisions.get(1)));

        List<Map<String, Object>> y2023 = byYear.get(2023);
        assertEquals("2023-06-30", y2023.get(0).get("periodEnd"));
        assertEquals(true, y2023.get(0).get("comparable"), "a first vintage has nothing to differ from");
        assertNull(y2023.get(0).get("change"));
        assertEquals("2023-12-31", y2023.get(1).get("periodEnd"));
        assertEquals(false, y2023.get(1).get("comparable"), "30 June to 31 December is not a revision");
        assertEquals(applications(GT_APPLICATIONS, 2023) - applications(MY_APPLICATIONS, 2023), number(y2023.get(1).get("change")));
        assertNull(y2023.get(1).get("changePercent"), "no +121% revision");

        List<Map<String, Object>> y2022 = byYear.get(2022);
        assertEquals("2022-12-31", y2022.get(1).get("periodEnd"));
        assertEquals(true, y2022.get(1).get("comparable"));
        long before = applications(MY_APPLICATIONS, 2022);
        long after = applications(GT_APPLICATIONS, 2022);
        assertEquals(after - before, number(y2022.get(1).get("change")));
        assertEquals((after - before) * 100.0 / before, ((Number) y2022.get(1).get("changePercent")).doubleValue(), 1e-9);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> vintages(Map<String, Object> revision) {
        return (List<Map<String, Object>>) revision.get("vintages");
    }

    @Test
    void bothRecognitionRatesFromTheRawDecisions() {
        for (boolean midYear : List.of(true, false)) {
            RawUnhcrFile raw = midYear ? MY_DECISIONS : GT_DECISIONS;
            JsonPath answer = graphql("{ recognitionRates(groupBy: [YEAR], filter: {years: {from: 2022, to: 2023}}" + (midYear ? ", " + asOfMidYear() : "")
                    + ") { year recognized complementary rejected totalRecognitionRate refugeeRecognitionRate } }");
            List<Map<String, Object>> rates = answer.getList("data.recognitionRates");
            assertEquals(2, rates.size());
            for (Map<String, Object> rate : rates) {
                int year = (Integer) rate.get("year");
                double recognized = decisions(raw, "dec_recognized", year);
                double complementary = decisions(raw, "dec_other", year);
                double rejected = decisions(raw, "dec_rejected", year);
                assertEquals((long) recognized, number(rate.get("recognized")));
                assertEquals((recognized + complementary) / (recognized + complementary + rejected),
                        ((Number) rate.get("totalRecognitionRate")).doubleValue(), 1e-12, year + (midYear ? " as of my2023" : ""));
                assertEquals(recognized / (recognized + complementary + rejected),
                        ((Number) rate.get("refugeeRecognitionRate")).doubleValue(), 1e-12, year + (midYear ? " as of my2023" : ""));
            }
        }
    }

    @Test
    void measuresTellAFrontEndWhatEachOneIs() {
        JsonPath answer = graphql("{ measures { measure dataset kind units dimensions label } }");
        List<Map<String, Object>> measures = answer.getList("data.measures");
        assertEquals(18, measures.size());
        Map<String, Map<String, Object>> byName = new java.util.HashMap<>();
        measures.forEach(m -> byName.put((String) m.get("measure"), m));
        assertEquals(Map.of("measure", "APPLICATIONS", "dataset", "asylum-applications", "kind", "FLOW", "units", List.of("PERSONS", "CASES"),
                "dimensions", List.of("YEAR", "ORIGIN", "ASYLUM", "ORIGIN_REGION", "ASYLUM_REGION", "PROCEDURE", "APPLICATION_TYPE", "DECISION_LEVEL"),
                "label", "Asylum applications"), byName.get("APPLICATIONS"));
        assertEquals(Map.of("measure", "ASYLUM_SEEKERS", "dataset", "population", "kind", "STOCK", "units", List.of("PERSONS"),
                "dimensions", List.of("YEAR", "ORIGIN", "ASYLUM", "ORIGIN_REGION", "ASYLUM_REGION"), "label", "Asylum-seekers"), byName.get("ASYLUM_SEEKERS"));
        for (String flow : List.of("RETURNED_REFUGEES", "RETURNED_IDPS", "RECOGNIZED", "COMPLEMENTARY_PROTECTION", "REJECTED", "OTHERWISE_CLOSED", "TOTAL_DECISIONS")) {
            assertEquals("FLOW", byName.get(flow).get("kind"), flow);
        }
        for (String stock : List.of("REFUGEES", "IDPS", "STATELESS", "OTHERS_OF_CONCERN", "OTHER_IN_NEED", "HOST_COMMUNITY")) {
            assertEquals("STOCK", byName.get(stock).get("kind"), stock);
        }
        assertFalse(byName.get("RECOGNIZED").get("dimensions").toString().contains("APPLICATION_TYPE"), "decisions have no application type");
        assertEquals(Map.of("measure", "DEMOGRAPHICS", "dataset", "demographics", "kind", "STOCK", "units", List.of("PERSONS"),
                "dimensions", List.of("YEAR", "ORIGIN", "ASYLUM", "ORIGIN_REGION", "ASYLUM_REGION", "SEX", "AGE_GROUP", "POPULATION_TYPE"),
                "label", "Persons by sex and age (demographics)"), byName.get("DEMOGRAPHICS"));
        assertEquals("FLOW", byName.get("RESETTLEMENT").get("kind"));
        assertEquals("solutions", byName.get("NATURALISATION").get("dataset"));
    }
}
