package org.asylumstats.stats;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.asylumstats.stats.catalog.CatalogReader;
import org.asylumstats.stats.catalog.CatalogSource;
import org.asylumstats.stats.catalog.InForce;
import org.asylumstats.stats.catalog.Snapshot;
import org.asylumstats.stats.database.Sql;
import org.asylumstats.stats.figures.Dimension;
import org.asylumstats.stats.figures.FigureFilter;
import org.asylumstats.stats.figures.Measure;
import org.asylumstats.stats.figures.SqlStatement;
import org.asylumstats.stats.figures.StatementBuilder;
import org.asylumstats.stats.figures.Unit;
import org.asylumstats.stats.figures.YearRange;
import org.asylumstats.testing.KeycloakResource;
import org.asylumstats.testing.Postgres;
import org.asylumstats.testing.PostgresResource;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What the builder's statements read, as PostgreSQL plans them (EXPLAIN, planned for the bound
 * values as the service's connections are): with five releases published, a current question reads
 * only the partitions of the releases in force (one or several), an "as of" question only those in force then, and
 * revisions every published release's partition but no retracted one. The releases beyond my2023 and
 * gt2023 are published in a transaction that is rolled back, so no other test sees them.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "role", value = "reader"))
@QuarkusTestResource(KeycloakResource.class)
class PartitionPruningTest {

    private static final Pattern RELATION = Pattern.compile("\"Relation Name\": \"([^\"]+)\"");
    private static final FigureFilter SYRIA = new FigureFilter(List.of("SYR"), null, null, null, null, null, null, null, Unit.PERSONS, null, null, null);

    @Test
    void aQuestionReadsOnlyThePartitionsOfTheReleasesItIsAbout() throws Exception {
        PublishedReleases.ensure();
        try (Connection c = Postgres.shared().connectAsOwner()) {
            c.setAutoCommit(false);
            try {
                long globalTrendsAgain = PublishedReleases.publish(c, "gt2023", "Global Trends 2023 (again)", LocalDate.of(2024, 7, 1), "{}", "{}");
                long globalTrendsLatest = PublishedReleases.publish(c, "gt2023", "Global Trends 2023 (latest)", LocalDate.of(2024, 8, 1), "{}", "{}");
                long midYearAgain = PublishedReleases.publish(c, "my2023", "Mid-Year Trends 2023 (again)", LocalDate.of(2024, 9, 1), "{2023}", "{2023-06-30}");
                try (Statement st = c.createStatement()) {
                    st.execute("SET LOCAL plan_cache_mode = force_custom_plan"); // as the service's connections
                }
                StatementBuilder builder = builder(c);

                // now: the last copy published (each file covers every year), out of five published releases
                assertEquals(partitions(c, "population", midYearAgain),
                        read(c, builder.series(Measure.REFUGEES, SYRIA.withYears(new YearRange(2013, 2023)), null)));
                assertEquals(partitions(c, "population", midYearAgain),
                        read(c, builder.figuresRows(Measure.REFUGEES, SYRIA.withYears(new YearRange(2023, 2023)), List.of(Dimension.ASYLUM), 10, null)));
                assertEquals(partitions(c, "asylum_application", midYearAgain),
                        read(c, builder.compare(Measure.APPLICATIONS, SYRIA, new YearRange(2021, 2023), new YearRange(2017, 2019), null, Set.of())));
                // as of a release: what was in force then
                assertEquals(partitions(c, "asylum_decision", globalTrendsAgain),
                        read(c, builder.recognitionRates(SYRIA, List.of(Dimension.YEAR), 100, globalTrendsAgain)));
                assertEquals(partitions(c, "population", globalTrendsLatest),
                        read(c, builder.figuresSummary(Measure.REFUGEES, SYRIA, List.of(), globalTrendsLatest)));
                // two releases in force for different years: both partitions, no other
                InForce split = new InForce(Map.of("population", List.of(new InForce.ReleaseYears(globalTrendsLatest, List.of(2021, 2022)),
                        new InForce.ReleaseYears(midYearAgain, List.of(2023)))));
                assertEquals(partitions(c, "population", globalTrendsLatest, midYearAgain),
                        read(c, builder(c, split).series(Measure.REFUGEES, SYRIA.withYears(new YearRange(2013, 2023)), null)));

                PublishedReleases.setState(c, globalTrendsAgain, "RETRACTED");
                builder = builder(c);
                assertEquals(partitions(c, "population", PublishedReleases.midYear, PublishedReleases.globalTrends, globalTrendsLatest, midYearAgain),
                        read(c, builder.revisions(Measure.REFUGEES, SYRIA, List.of(), 500)), "every published release, not the retracted one");
            } finally {
                c.rollback();
            }
        }
    }

    /** The builder over the catalog as this transaction sees it. */
    private static StatementBuilder builder(Connection c) throws SQLException {
        return builder(c, null);
    }

    /** ... with {@code inForce} in place of what is current, when given. */
    private static StatementBuilder builder(Connection c, InForce inForce) throws SQLException {
        CatalogSource.Publications publications = CatalogReader.publications(c);
        InForce current = inForce == null ? publications.current() : inForce;
        return new StatementBuilder(new Snapshot(0, CatalogReader.countries(c), publications.releases(), current, asOf -> {
            try {
                return CatalogReader.inForceAsOf(c, asOf);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }));
    }

    /** The tables the plan of {@code statement} reads. */
    private static Set<String> read(Connection c, SqlStatement statement) throws SQLException {
        Set<String> relations = new TreeSet<>();
        try (PreparedStatement st = c.prepareStatement("EXPLAIN (FORMAT JSON) " + statement.sql())) {
            Sql.bind(c, st, statement.params());
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                Matcher m = RELATION.matcher(rs.getString(1));
                while (m.find()) {
                    relations.add(m.group(1));
                }
            }
        }
        return relations;
    }

    /** The partitions of stats.{@code table} holding the figures of {@code releases}. */
    private static Set<String> partitions(Connection c, String table, long... releases) throws SQLException {
        Set<String> names = new TreeSet<>();
        for (long release : releases) {
            try (PreparedStatement st = c.prepareStatement("SELECT p.relname FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhrelid"
                    + " WHERE i.inhparent = ('stats.' || ?)::regclass AND pg_get_expr(p.relpartbound, p.oid) = 'FOR VALUES IN (''' || ? || ''')'")) {
                st.setString(1, table);
                st.setLong(2, release);
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    names.add(rs.getString(1));
                }
            }
        }
        return names;
    }
}
