package org.asylumstats.stats.figures;

import org.asylumstats.stats.catalog.InForce;
import org.asylumstats.stats.catalog.Release;
import org.asylumstats.stats.catalog.Snapshot;
import org.asylumstats.stats.catalog.StubCatalogSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The statements of representative questions, text and parameters, without a database. */
class StatementBuilderTest {

    /** Release 1 (2023 preliminary) is in force for 2023, release 2 for 2021 and 2022; release 3 was retracted. */
    private static final Release MID_YEAR = StubCatalogSource.published(1, List.of(2023));
    private static final Release GLOBAL_TRENDS = StubCatalogSource.published(2, List.of());
    private static final Release RETRACTED = new Release(3, "Withdrawn", "UNHCR", GLOBAL_TRENDS.publishedOn().plusDays(1), List.of(),
            "RETRACTED", List.of("population"), List.of());
    private static final InForce IN_FORCE = new InForce(Map.of(
            "population", List.of(new InForce.ReleaseYears(1, List.of(2023)), new InForce.ReleaseYears(2, List.of(2021, 2022))),
            "asylum-decisions", List.of(new InForce.ReleaseYears(2, List.of(2022)))));

    private static StatementBuilder builder(InForce inForce) {
        return new StatementBuilder(new Snapshot(1, StubCatalogSource.COUNTRIES, StubCatalogSource.releases(MID_YEAR, GLOBAL_TRENDS, RETRACTED),
                inForce, asOf -> new InForce(Map.of("population", List.of(new InForce.ReleaseYears(asOf, List.of(2023)))))));
    }

    private static final StatementBuilder BUILDER = builder(IN_FORCE);

    private static FigureFilter origin(String... codes) {
        return new FigureFilter(List.of(codes), null, null, null, null, null, null, null, Unit.PERSONS, null, null, null);
    }

    private static void assertParams(SqlStatement statement, Object... expected) {
        assertArrayEquals(expected, statement.params().toArray(), statement.sql());
    }

    @Test
    void aCurrentTotalBindsTheReleasesInForceAndTheirYears() {
        SqlStatement s = BUILDER.figuresSummary(Measure.REFUGEES, origin("SY").withYears(new YearRange(2021, 2023)), List.of(), null);
        assertEquals("SELECT sum(f.refugees) FILTER (WHERE TRUE), count(*) FILTER (WHERE NOT (TRUE) AND f.refugees IS NOT NULL),"
                + " coalesce(bool_or(((f.release_id = ? AND f.year = ANY(?)))) FILTER (WHERE TRUE AND f.refugees IS NOT NULL), false),"
                + " array_agg(DISTINCT f.release_id) FILTER (WHERE TRUE AND f.refugees IS NOT NULL),"
                + " array_agg(DISTINCT f.year) FILTER (WHERE TRUE AND f.refugees IS NOT NULL)"
                + " FROM stats.population f WHERE ((f.release_id = ? AND f.year = ANY(?)) OR (f.release_id = ? AND f.year = ANY(?)))"
                + " AND f.origin = ANY(?) AND f.year BETWEEN ? AND ?", s.sql());
        // preliminary years of release 1, then the in-force pairs, the canonical origin code (SY is an alias of SYR), the years
        assertParams(s, 1L, new Integer[]{2023}, 1L, new Integer[]{2023}, 2L, new Integer[]{2021, 2022}, new String[]{"SYR"}, 2021, 2023);
    }

    @Test
    void releasesInForceOutsideTheYearsAskedForAreNotBound() {
        SqlStatement s = BUILDER.series(Measure.REFUGEES, origin("SYR").withYears(new YearRange(2021, 2022)), null);
        assertEquals("SELECT f.year, sum(f.refugees), bool_or(FALSE), min(f.release_id) FROM stats.population f"
                + " WHERE ((f.release_id = ? AND f.year = ANY(?))) AND f.origin = ANY(?) AND f.year BETWEEN ? AND ?"
                + " AND TRUE GROUP BY f.year ORDER BY f.year", s.sql());
        assertParams(s, 2L, new Integer[]{2021, 2022}, new String[]{"SYR"}, 2021, 2022);
    }

    @Test
    void nothingInForceSelectsNothing() {
        SqlStatement s = builder(InForce.NOTHING).series(Measure.REFUGEES, null, null);
        assertEquals("SELECT f.year, sum(f.refugees), bool_or(FALSE), min(f.release_id) FROM stats.population f WHERE FALSE AND TRUE"
                + " GROUP BY f.year ORDER BY f.year", s.sql());
        assertParams(s);
    }

    @Test
    void asOfAReleaseBindsWhatWasInForceThen() {
        SqlStatement s = BUILDER.series(Measure.REFUGEES, null, 2L);
        assertTrue(s.sql().contains(" WHERE ((f.release_id = ? AND f.year = ANY(?))) AND TRUE"), s.sql());
        assertParams(s, 2L, new Integer[]{2023});
        QueryException notPublished = assertThrows(QueryException.class, () -> BUILDER.series(Measure.REFUGEES, null, 3L));
        assertEquals("asOf: release 3 is not a published release", notPublished.getMessage());
        assertThrows(QueryException.class, () -> BUILDER.series(Measure.REFUGEES, null, 99L));
    }

    @Test
    void unitsAreMatchedOnlyWhereTheDatasetHasThem() {
        SqlStatement cases = BUILDER.figuresSummary(Measure.RECOGNIZED,
                new FigureFilter(null, null, null, null, null, null, null, null, Unit.CASES, null, null, null), List.of(), null);
        assertTrue(cases.sql().startsWith("SELECT sum(f.recognized) FILTER (WHERE f.unit = 'CASES'),"), cases.sql());
        assertTrue(cases.sql().contains("FROM stats.asylum_decision f WHERE ((f.release_id = ? AND f.year = ANY(?)))"), cases.sql());
        QueryException e = assertThrows(QueryException.class, () -> BUILDER.series(Measure.REFUGEES,
                new FigureFilter(null, null, null, null, null, null, null, null, Unit.CASES, null, null, null), null));
        assertEquals("unit: REFUGEES is counted in persons only; CASES does not apply", e.getMessage());
    }

    @Test
    void countryTablesAreJoinedOnlyForRegions() {
        assertFalse(BUILDER.figuresRows(Measure.REFUGEES, origin("SYR"), List.of(Dimension.ASYLUM), 10, null).sql().contains("stats.country"));
        SqlStatement byRegion = BUILDER.figuresRows(Measure.REFUGEES,
                new FigureFilter(null, null, List.of("Europe"), null, null, null, null, null, Unit.PERSONS, null, null, null), List.of(Dimension.ASYLUM_REGION), 10, null);
        assertTrue(byRegion.sql().contains(" FROM stats.population f JOIN stats.country co ON co.code = f.origin"
                + " JOIN stats.country ca ON ca.code = f.asylum WHERE "), byRegion.sql());
        assertTrue(byRegion.sql().endsWith(" AND co.region = ANY(?) AND TRUE GROUP BY ca.region ORDER BY sum(f.refugees) DESC NULLS LAST, ca.region LIMIT ?"),
                byRegion.sql());
        assertArrayEquals(new Object[]{new String[]{"Europe"}, 10}, byRegion.params().subList(byRegion.params().size() - 2, byRegion.params().size()).toArray());
    }

    @Test
    void aTableOfNoRowsStillFetchesOneToCountTheGroups() {
        SqlStatement s = BUILDER.figuresRows(Measure.REFUGEES, null, List.of(Dimension.YEAR), 0, null);
        assertTrue(s.sql().startsWith("SELECT f.year, sum(f.refugees), bool_or(((f.release_id = ? AND f.year = ANY(?)))), count(*) OVER ()"), s.sql());
        assertEquals(1, s.params().getLast());
    }

    @Test
    void filtersThatDoNotApplyAreRefusedBeforeAnySql() {
        FigureFilter procedure = new FigureFilter(null, null, null, null, null, List.of("G"), null, null, Unit.PERSONS, null, null, null);
        assertEquals("procedure: this filter does not apply to REFUGEES (population)",
                assertThrows(QueryException.class, () -> BUILDER.series(Measure.REFUGEES, procedure, null)).getMessage());
        assertEquals("groupBy: PROCEDURE does not apply to REFUGEES (population)",
                assertThrows(QueryException.class, () -> BUILDER.figuresRows(Measure.REFUGEES, null, List.of(Dimension.PROCEDURE), 5, null)).getMessage());
        assertEquals("origin: 'XXX' is not a known ISO3 or UNHCR country code",
                assertThrows(QueryException.class, () -> BUILDER.series(Measure.REFUGEES, origin("XXX"), null)).getMessage());
        assertTrue(assertThrows(QueryException.class, () -> BUILDER.series(Measure.REFUGEES,
                new FigureFilter(null, null, null, List.of("Atlantis"), null, null, null, null, Unit.PERSONS, null, null, null), null))
                .getMessage().startsWith("asylumRegion: 'Atlantis' is not a region; regions are "));
        assertEquals("groupBy: revisions are grouped by YEAR, ORIGIN or ASYLUM, not ORIGIN_REGION",
                assertThrows(QueryException.class, () -> BUILDER.revisions(Measure.REFUGEES, null, List.of(Dimension.ORIGIN_REGION), 5)).getMessage());
        assertEquals("groupBy: recognition rates are grouped by YEAR, ORIGIN or ASYLUM, not PROCEDURE",
                assertThrows(QueryException.class, () -> BUILDER.recognitionRates(null, List.of(Dimension.PROCEDURE), 5, null)).getMessage());
    }

    @Test
    void procedureCodesAreBoundUpperCase() {
        SqlStatement s = BUILDER.series(Measure.RECOGNIZED, new FigureFilter(null, null, null, null, null, List.of(" g "), null, List.of("fi"), Unit.PERSONS, null, null, null), null);
        assertTrue(s.sql().contains(" AND f.procedure = ANY(?) AND f.decision_level = ANY(?) AND f.unit = 'PERSONS'"), s.sql());
        assertParams(s, 2L, new Integer[]{2022}, new String[]{"G"}, new String[]{"FI"});
    }

    @Test
    void compareAsksForBothPeriodsInOneStatement() {
        SqlStatement s = BUILDER.compare(Measure.REFUGEES, origin("SYR").withYears(new YearRange(2000, 2001)),
                new YearRange(2022, 2023), new YearRange(2021, 2021), null, Set.of());
        assertEquals("SELECT sum(f.refugees) FILTER (WHERE f.year BETWEEN ? AND ?), sum(f.refugees) FILTER (WHERE f.year BETWEEN ? AND ?),"
                + " array_agg(DISTINCT f.year) FILTER (WHERE f.refugees IS NOT NULL)"
                + " FROM stats.population f WHERE ((f.release_id = ? AND f.year = ANY(?)) OR (f.release_id = ? AND f.year = ANY(?)))"
                + " AND f.origin = ANY(?) AND TRUE AND (f.year BETWEEN ? AND ? OR f.year BETWEEN ? AND ?)", s.sql());
        assertParams(s, 2022, 2023, 2021, 2021, 1L, new Integer[]{2023}, 2L, new Integer[]{2021, 2022}, new String[]{"SYR"}, 2022, 2023, 2021, 2021);
    }

    @Test
    void compareLeavesTheYearsItIsToldOutOfEveryRelease() {
        SqlStatement s = BUILDER.compare(Measure.REFUGEES, null, new YearRange(2022, 2023), new YearRange(2021, 2021), null, Set.of(2023));
        assertTrue(s.sql().contains(" WHERE ((f.release_id = ? AND f.year = ANY(?))) AND "), s.sql());
        assertParams(s, 2022, 2023, 2021, 2021, 2L, new Integer[]{2021, 2022}, 2022, 2023, 2021, 2021);
    }

    @Test
    void revisionsReadEveryPublishedReleaseInPublicationOrderAndNoRetractedOne() {
        SqlStatement s = BUILDER.revisions(Measure.REFUGEES, origin("SYR"), List.of(Dimension.ORIGIN), 500);
        assertEquals("SELECT year, origin, asylum, release_id, value, preliminary FROM (SELECT f.year AS year, f.origin AS origin,"
                + " NULL::text AS asylum, f.release_id, sum(f.refugees) AS value, bool_or(((f.release_id = ? AND f.year = ANY(?)))) AS preliminary,"
                + " dense_rank() OVER (ORDER BY f.year, f.origin, NULL::text) AS entry FROM stats.population f WHERE f.release_id = ANY(?)"
                + " AND f.origin = ANY(?) AND TRUE GROUP BY f.year, 2, 3, f.release_id) v WHERE entry <= ?"
                + " ORDER BY entry, array_position(?::bigint[], release_id)", s.sql());
        assertParams(s, 1L, new Integer[]{2023}, new Long[]{1L, 2L}, new String[]{"SYR"}, 501, new Long[]{1L, 2L});
    }

    @Test
    void recognitionRatesGroupOnlyByWhatWasAsked() {
        SqlStatement s = BUILDER.recognitionRates(null, List.of(Dimension.YEAR), 20, null);
        assertEquals("SELECT f.year, NULL::text, NULL::text, sum(f.recognized), sum(f.complementary_protection), sum(f.rejected)"
                + " FROM stats.asylum_decision f WHERE ((f.release_id = ? AND f.year = ANY(?))) AND f.unit = 'PERSONS'"
                + " GROUP BY 1, 2, 3 ORDER BY 1, 2, 3 LIMIT ?", s.sql());
        assertParams(s, 2L, new Integer[]{2022}, 21);
    }
}
