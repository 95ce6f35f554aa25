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

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.asylumstats.stats.GraphQlAnswersTest.graphql;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Demographics and solutions answers against sums read from the raw gt2023 files by the test's own
 * CSV reader: by sex (persons without a breakdown as UNKNOWN), by age group, by population type.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "role", value = "reader"))
@QuarkusTestResource(KeycloakResource.class)
class DemographicsAndSolutionsTest {

    private static final RawUnhcrFile DEMOGRAPHICS = RawUnhcrFile.read("gt2023/demographics.csv.gz", Set.of("2022", "2023"));
    private static final RawUnhcrFile SOLUTIONS = RawUnhcrFile.read("gt2023/solutions.csv.gz");
    /** Refugees and asylum-seekers from Sudan in Chad, 2023: the example. */
    private static final Map<String, String> SUDAN_IN_CHAD = Map.of("coo_iso", "SDN", "coa_iso", "TCD", "year", "2023");
    private static final String SUDAN_IN_CHAD_FILTER = "{origin: [\"SDN\"], asylum: [\"TCD\"], years: {from: 2023, to: 2023}}";

    @BeforeEach
    void published() {
        PublishedReleases.ensure();
    }

    private static long raw(String column, Map<String, String> filters) {
        return DEMOGRAPHICS.sum(column, filters);
    }

    private static Map<String, Long> byKey(JsonPath answer, String key) {
        Map<String, Long> values = new HashMap<>();
        for (Map<String, Object> row : answer.<Map<String, Object>>getList("data.figures.rows")) {
            values.put((String) row.get(key), ((Number) row.get("value")).longValue());
        }
        return values;
    }

    @Test
    void bySexWithTheUnknownShareShown() {
        JsonPath answer = graphql("{ figures(measure: DEMOGRAPHICS, filter: " + SUDAN_IN_CHAD_FILTER + ", groupBy: [SEX]) { total totalRows rows { sex value } } }");
        long total = raw("total", SUDAN_IN_CHAD);
        long female = raw("f_total", SUDAN_IN_CHAD);
        long male = raw("m_total", SUDAN_IN_CHAD);
        assertEquals(total, answer.getLong("data.figures.total"));
        Map<String, Long> bySex = byKey(answer, "sex");
        assertEquals(Map.of("FEMALE", female, "MALE", male, "UNKNOWN", total - female - male), bySex);
        assertEquals(total, bySex.values().stream().mapToLong(Long::longValue).sum(), "sums over SEX equal the total");
    }

    @Test
    void byAgeGroupWithUnknownAges() {
        JsonPath answer = graphql("{ figures(measure: DEMOGRAPHICS, filter: " + SUDAN_IN_CHAD_FILTER + ", groupBy: [AGE_GROUP]) { total rows { ageGroup value } } }");
        Map<String, Long> byAge = byKey(answer, "ageGroup");
        Map<String, String> bands = Map.of("0-4", "0_4", "5-11", "5_11", "12-17", "12_17", "18-59", "18_59", "60+", "60");
        bands.forEach((group, band) ->
                assertEquals(raw("f_" + band, SUDAN_IN_CHAD) + raw("m_" + band, SUDAN_IN_CHAD), byAge.get(group), group));
        long unknown = raw("f_other", SUDAN_IN_CHAD) + raw("m_other", SUDAN_IN_CHAD)
                + raw("total", SUDAN_IN_CHAD) - raw("f_total", SUDAN_IN_CHAD) - raw("m_total", SUDAN_IN_CHAD);
        assertEquals(unknown, byAge.get("UNKNOWN"));
        assertEquals(raw("total", SUDAN_IN_CHAD), byAge.values().stream().mapToLong(Long::longValue).sum(), "sums over AGE_GROUP equal the total");
    }

    @Test
    void childrenAmongTheWomenAndGirlsOfOnePopulationType() {
        JsonPath answer = graphql("{ figures(measure: DEMOGRAPHICS, filter: {origin: [\"SDN\"], asylum: [\"TCD\"], years: {from: 2023, to: 2023},"
                + " sex: [FEMALE], ageGroup: [\"0-4\", \"5-11\", \"12-17\"], populationType: [\"REF\"]}) { total } }");
        Map<String, String> refugees = new HashMap<>(SUDAN_IN_CHAD);
        refugees.put("pop_type", "REF");
        assertEquals(raw("f_0_4", refugees) + raw("f_5_11", refugees) + raw("f_12_17", refugees), answer.getLong("data.figures.total"));
    }

    @Test
    void byPopulationTypeAndSexTogether() {
        JsonPath answer = graphql("{ figures(measure: DEMOGRAPHICS, filter: {asylum: [\"DEU\"], years: {from: 2023, to: 2023}}, groupBy: [POPULATION_TYPE, SEX], first: 100)"
                + " { total totalRows rows { populationType sex value } } }");
        for (Map<String, Object> row : answer.<Map<String, Object>>getList("data.figures.rows")) {
            Map<String, String> filter = Map.of("coa_iso", "DEU", "year", "2023", "pop_type", (String) row.get("populationType"));
            long expected = switch ((String) row.get("sex")) {
                case "FEMALE" -> raw("f_total", filter);
                case "MALE" -> raw("m_total", filter);
                default -> raw("total", filter) - raw("f_total", filter) - raw("m_total", filter);
            };
            assertEquals(expected, ((Number) row.get("value")).longValue(), row.toString());
        }
        assertEquals(raw("total", Map.of("coa_iso", "DEU", "year", "2023")), answer.getLong("data.figures.total"));
    }

    @Test
    void resettlementTopCountriesAndNaturalisationTotals() {
        JsonPath answer = graphql("{ figures(measure: RESETTLEMENT, filter: {years: {from: 2023, to: 2023}}, groupBy: [ASYLUM], first: 5) { total rows { asylum { code } value } }"
                + " series(measure: NATURALISATION, filter: {years: {from: 2019, to: 2023}}) { year value } }");
        assertEquals(SOLUTIONS.sum("resettlement", Map.of("year", "2023")), answer.getLong("data.figures.total"));
        List<Map<String, Object>> rows = answer.getList("data.figures.rows");
        assertEquals(5, rows.size());
        long previous = Long.MAX_VALUE;
        for (Map<String, Object> row : rows) {
            @SuppressWarnings("unchecked")
            String code = ((Map<String, String>) row.get("asylum")).get("code");
            long value = ((Number) row.get("value")).longValue();
            assertEquals(SOLUTIONS.sum("resettlement", Map.of("year", "2023", "coa_iso", code)), value, code);
            assertTrue(value <= previous, "largest first");
            previous = value;
        }
        for (Map<String, Object> point : answer.<Map<String, Object>>getList("data.series")) {
            String year = point.get("year").toString();
            assertEquals(SOLUTIONS.sum("naturalisation", Map.of("year", year)), ((Number) point.get("value")).longValue(), year);
        }
    }

    @Test
    void demographicVintagesAndAHalfYearOfResettlement() {
        RawUnhcrFile midYearDemographics = RawUnhcrFile.read("my2023/demographics.csv.gz", Set.of("2022"));
        RawUnhcrFile midYearSolutions = RawUnhcrFile.read("my2023/solutions.csv.gz");
        Map<String, String> sudanInChad2022 = Map.of("coo_iso", "SDN", "coa_iso", "TCD", "year", "2022");
        JsonPath answer = graphql("{ revisions(measure: DEMOGRAPHICS, filter: {origin: [\"SDN\"], asylum: [\"TCD\"], years: {from: 2022, to: 2022}, sex: [FEMALE]})"
                + " { year vintages { value periodEnd comparable release { title } } }"
                + " series(measure: RESETTLEMENT, filter: {years: {from: 2022, to: 2023}}, asOf: \"" + PublishedReleases.midYear + "\") { year value partial periodEnd } }");
        assertEquals(List.of(midYearDemographics.sum("f_total", sudanInChad2022), raw("f_total", sudanInChad2022)),
                answer.<Number>getList("data.revisions[0].vintages.value").stream().map(Number::longValue).toList());
        assertEquals(List.of(true, true), answer.getList("data.revisions[0].vintages.comparable"));
        List<Map<String, Object>> resettlement = answer.getList("data.series");
        assertEquals(midYearSolutions.sum("resettlement", Map.of("year", "2023")), ((Number) resettlement.get(1).get("value")).longValue());
        assertEquals(true, resettlement.get(1).get("partial"), "Mid-Year Trends' 2023 resettlement covers January to June");
        assertEquals("2023-06-30", resettlement.get(1).get("periodEnd"));
        assertEquals(false, resettlement.get(0).get("partial"));
    }

    @Test
    void demographicFiltersAndDimensionsApplyToDemographicsOnly() {
        GraphQlAnswersTest.assertError("{ figures(measure: REFUGEES, filter: {sex: [FEMALE]}) { total } }", "sex: this filter applies to DEMOGRAPHICS");
        GraphQlAnswersTest.assertError("{ figures(measure: APPLICATIONS, groupBy: [AGE_GROUP]) { total } }", "groupBy: AGE_GROUP does not apply to APPLICATIONS");
        GraphQlAnswersTest.assertError("{ figures(measure: RESETTLEMENT, filter: {populationType: [\"REF\"]}) { total } }", "populationType: this filter does not apply");
        GraphQlAnswersTest.assertError("{ figures(measure: DEMOGRAPHICS, filter: {ageGroup: [\"0-3\"]}) { total } }", "ageGroup: '0-3' is not one of");
    }
}
