package org.asylumstats.ingest;

import org.asylumstats.ingest.core.CountryReference;
import org.asylumstats.ingest.core.Dataset;
import org.asylumstats.ingest.core.DatasetLoader;
import org.asylumstats.ingest.core.InputLimits;
import org.asylumstats.ingest.core.Publications;
import org.asylumstats.ingest.core.ValidationReport;
import org.asylumstats.testing.Postgres;
import org.asylumstats.testing.RepositoryFiles;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A v1 database (schema version 5: one table per dataset holding every vintage) filled with the real
 * my2023 and gt2023 releases, a retracted release and a draft, migrated to the latest schema: every
 * answer a reader could get is the same before and after, and the releases' figures end up in the v2
 * layout (published and retracted ones attached in schema stats, the draft staged in ingest).
 */
class VintageStoreMigrationTest {

    private static final String V1_DATABASE = "migration_v1";
    /** A fully migrated database where the current loader turns the real files into rows for the v1 tables. */
    private static final String SOURCE_DATABASE = "migration_source";
    private static final Map<Dataset, String> FILES = Map.of(
            Dataset.POPULATION, "population.csv.gz",
            Dataset.ASYLUM_APPLICATIONS, "asylum_applications.csv.gz",
            Dataset.ASYLUM_DECISIONS, "asylum_decisions.csv.gz");
    private static final List<Dataset> ALL = List.of(Dataset.POPULATION, Dataset.ASYLUM_APPLICATIONS, Dataset.ASYLUM_DECISIONS);

    private static final String POPULATION_COUNTS = "sum(refugees), sum(asylum_seekers), sum(returned_refugees), sum(idps), sum(returned_idps),"
            + " sum(stateless), sum(others_of_concern), sum(other_in_need), sum(host_community), count(*)";
    private static final String DECISION_COUNTS = "sum(recognized), sum(complementary_protection), sum(rejected), sum(otherwise_closed),"
            + " sum(total_decisions), count(*)";

    /** v1's "as of": the latest publication up to the release, over stats.release_coverage (its DISTINCT ON, as stats-service had it). */
    private static final LongFunction<String> V1_AS_OF = asOf -> "(SELECT DISTINCT ON (rc.dataset, rc.year) rc.dataset, rc.year, rc.release_id"
            + " FROM stats.release_coverage rc WHERE (rc.published_on, rc.publication_seq) <= (SELECT published_on, publication_seq"
            + " FROM stats.release_flags WHERE id = " + asOf + " AND state = 'PUBLISHED')"
            + " ORDER BY rc.dataset, rc.year, rc.published_on DESC, rc.publication_seq DESC)";
    private static final LongFunction<String> V2_AS_OF = asOf -> "stats.in_force(" + asOf + ")";

    @Test
    void aV1DatabaseWithPublishedFiguresMigratesWithTheSameAnswers() throws Exception {
        createDatabase(V1_DATABASE);
        createDatabase(SOURCE_DATABASE);
        flyway(V1_DATABASE).target("5").load().migrate();
        flyway(SOURCE_DATABASE).load().migrate();

        try (Connection v1 = connect(V1_DATABASE, Postgres.OWNER); Connection source = connect(SOURCE_DATABASE, Postgres.OWNER)) {
            DatasetLoader loader = new DatasetLoader(CountryReference.load(source), InputLimits.defaults(64L << 20));
            long my = release(v1, "Mid-Year Trends 2023", "2023-10-25", "{2023}", "PUBLISHED", 1L);
            long gt = release(v1, "Global Trends 2023", "2024-06-13", "{}", "PUBLISHED", 2L);
            long retracted = release(v1, "Withdrawn correction", "2024-08-01", "{}", "RETRACTED", 3L);
            long draft = release(v1, "Draft", "2024-09-01", "{}", "DRAFT", null);
            for (Dataset dataset : ALL) {
                fillTheV1Way(loader, source, v1, my, "my2023", dataset);
                fillTheV1Way(loader, source, v1, gt, "gt2023", dataset);
            }
            fillTheV1Way(loader, source, v1, retracted, "gt2023", Dataset.ASYLUM_APPLICATIONS);
            fillTheV1Way(loader, source, v1, draft, "my2023", Dataset.POPULATION);
            execute(v1, "SELECT setval('ingest.publication_seq', 3)");
            execute(v1, "SELECT ingest.recompute_coverage()");
            List<Long> releases = List.of(my, gt, retracted, draft);

            Map<String, String> before = answers(v1, V1_AS_OF, List.of(my, gt));
            before.putAll(rowsPerRelease(v1, releases, id -> "stats.%s WHERE release_id = " + id));
            assertTrue(before.get("population current").lines().count() > 50, "the v1 database answers with real figures");
            assertTrue(before.get("population as of " + my).contains("2023|"), "as of my2023, 2023 is covered");

            flyway(V1_DATABASE).load().migrate();

            Map<String, String> after = answers(v1, V2_AS_OF, List.of(my, gt));
            after.putAll(rowsPerRelease(v1, releases, id -> id == draft ? "ingest.%s_r" + id : "stats.%s WHERE release_id = " + id));
            assertEquals(before.keySet(), after.keySet());
            for (String question : before.keySet()) {
                assertEquals(before.get(question), after.get(question), question);
            }

            assertEquals(sorted(List.of("population_r" + my, "population_r" + gt)), partitions(v1, "population"));
            assertEquals(sorted(List.of("asylum_application_r" + my, "asylum_application_r" + gt, "asylum_application_r" + retracted)),
                    partitions(v1, "asylum_application"));
            assertEquals(sorted(List.of("asylum_decision_r" + my, "asylum_decision_r" + gt)), partitions(v1, "asylum_decision"));
            for (String partition : List.of("population_r" + my, "asylum_application_r" + retracted, "asylum_decision_r" + gt)) {
                assertEquals(3, scalar(v1, "SELECT count(*) FROM pg_index i JOIN pg_inherits h ON h.inhrelid = i.indexrelid"
                        + " WHERE i.indrelid = 'stats." + partition + "'::regclass"), partition + "'s indexes belong to the parent's");
            }
            assertEquals(1, scalar(v1, "SELECT count(*) FROM pg_tables WHERE schemaname = 'ingest' AND tablename = 'population_r" + draft + "'"));
            assertEquals(0, scalar(v1, "SELECT count(*) FROM pg_inherits WHERE inhrelid = 'ingest.population_r" + draft + "'::regclass"));
            assertEquals(3, scalar(v1, "SELECT count(*) FROM pg_index WHERE indrelid = 'ingest.population_r" + draft + "'::regclass"),
                    "the draft's figures are sealed like a fresh upload's");
            assertEquals(0, scalar(v1, "SELECT count(*) FROM pg_class WHERE relname LIKE '%\\_v1'"), "no v1 table left");
            assertEquals(0, scalar(v1, "SELECT count(*) FROM stats.coverage WHERE release_id IN (" + retracted + ", " + draft + ")"));
            // V7: releases created before reference periods existed cover whole years, as the API and the read side show them
            assertEquals(releases.size(), scalar(v1, "SELECT count(*) FROM ingest.release WHERE reference_period_ends = '{}'"));
            assertEquals("" + my + "|{}\n" + gt + "|{}\n" + retracted + "|{}",
                    rows(v1, "SELECT id, reference_period_ends FROM stats.release ORDER BY id"));
            try (Connection reader = connect(V1_DATABASE, Postgres.READER); Statement st = reader.createStatement()) {
                assertEquals("42501", assertThrows(SQLException.class, () -> st.executeQuery("SELECT 1 FROM ingest.population_r" + draft)).getSQLState());
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM stats.current_population")) {
                    rs.next();
                    assertTrue(rs.getLong(1) > 0);
                }
            }

            // after the migration, a new release is uploaded and published the v2 way: gt2023's decisions again, now current
            long republished = release(v1, "Global Trends 2023, decisions republished", "2024-12-01", "{}", "SUBMITTED", null);
            v1.setAutoCommit(false);
            ValidationReport report = load(loader, v1, republished, "gt2023", Dataset.ASYLUM_DECISIONS);
            registerUpload(v1, republished, Dataset.ASYLUM_DECISIONS, report);
            Publications.lock(v1);
            execute(v1, "UPDATE ingest.release SET state = 'PUBLISHED', publication_seq = nextval('ingest.publication_seq') WHERE id = " + republished);
            Publications.publish(v1, republished);
            v1.commit();
            v1.setAutoCommit(true);
            assertEquals(sorted(List.of("asylum_decision_r" + my, "asylum_decision_r" + gt, "asylum_decision_r" + republished)),
                    partitions(v1, "asylum_decision"));
            assertEquals(List.of(republished), longs(v1, "SELECT DISTINCT release_id FROM stats.coverage WHERE dataset = 'asylum-decisions'"));
            assertEquals(before.get("decisions current"), answers(v1, V2_AS_OF, List.of()).get("decisions current"),
                    "the same file republished answers the same");
        }
    }

    /** The questions the read side asks, each answered as text; as-of ones for each release in {@code asOf}. */
    private static Map<String, String> answers(Connection c, LongFunction<String> inForce, List<Long> asOf) throws SQLException {
        Map<String, String> answers = new LinkedHashMap<>();
        answers.put("population current", rows(c, "SELECT year, " + POPULATION_COUNTS + " FROM stats.current_population GROUP BY 1 ORDER BY 1"));
        answers.put("applications current", rows(c, "SELECT year, unit, sum(applied), count(*) FROM stats.current_asylum_application GROUP BY 1, 2 ORDER BY 1, 2"));
        answers.put("decisions current", rows(c, "SELECT year, unit, " + DECISION_COUNTS + " FROM stats.current_asylum_decision GROUP BY 1, 2 ORDER BY 1, 2"));
        answers.put("population top 10 asylum 2022", rows(c, "SELECT asylum, sum(refugees) FROM stats.current_population"
                + " WHERE year = 2022 GROUP BY 1 ORDER BY 2 DESC NULLS LAST, 1 LIMIT 10"));
        answers.put("applications top 10 asylum 2022", rows(c, "SELECT asylum, sum(applied) FROM stats.current_asylum_application"
                + " WHERE year = 2022 AND unit = 'PERSONS' GROUP BY 1 ORDER BY 2 DESC NULLS LAST, 1 LIMIT 10"));
        answers.put("decisions top 10 asylum 2022", rows(c, "SELECT asylum, sum(recognized) FROM stats.current_asylum_decision"
                + " WHERE year = 2022 AND unit = 'PERSONS' GROUP BY 1 ORDER BY 2 DESC NULLS LAST, 1 LIMIT 10"));
        // revisions: every visible vintage's figure of each year
        answers.put("population vintages", rows(c, "SELECT f.release_id, f.year, " + POPULATION_COUNTS + " FROM stats.population f"
                + " WHERE f.release_id IN (SELECT id FROM stats.release_flags) GROUP BY 1, 2 ORDER BY 1, 2"));
        answers.put("applications vintages", rows(c, "SELECT f.release_id, f.year, f.unit, sum(applied), count(*) FROM stats.asylum_application f"
                + " WHERE f.release_id IN (SELECT id FROM stats.release_flags) GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"));
        answers.put("decisions vintages", rows(c, "SELECT f.release_id, f.year, f.unit, " + DECISION_COUNTS + " FROM stats.asylum_decision f"
                + " WHERE f.release_id IN (SELECT id FROM stats.release_flags) GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"));
        for (long release : asOf) {
            String inForceThen = inForce.apply(release);
            answers.put("population as of " + release, rows(c, "SELECT f.year, " + POPULATION_COUNTS + " FROM stats.population f JOIN " + inForceThen
                    + " i ON i.dataset = 'population' AND i.year = f.year AND i.release_id = f.release_id GROUP BY 1 ORDER BY 1"));
            answers.put("applications as of " + release, rows(c, "SELECT f.year, f.unit, sum(applied), count(*) FROM stats.asylum_application f JOIN " + inForceThen
                    + " i ON i.dataset = 'asylum-applications' AND i.year = f.year AND i.release_id = f.release_id GROUP BY 1, 2 ORDER BY 1, 2"));
            answers.put("decisions as of " + release, rows(c, "SELECT f.year, f.unit, " + DECISION_COUNTS + " FROM stats.asylum_decision f JOIN " + inForceThen
                    + " i ON i.dataset = 'asylum-decisions' AND i.year = f.year AND i.release_id = f.release_id GROUP BY 1, 2 ORDER BY 1, 2"));
            answers.put("in force as of " + release, rows(c, "SELECT dataset, year, release_id FROM " + inForceThen + " i ORDER BY 1, 2"));
        }
        answers.put("coverage", rows(c, "SELECT dataset, year, release_id FROM stats.coverage ORDER BY 1, 2"));
        return answers;
    }

    /** Each release's row count per dataset table, read from where {@code where} says (a %s for the table). */
    private static Map<String, String> rowsPerRelease(Connection c, List<Long> releases, LongFunction<String> where) throws SQLException {
        Map<String, String> counts = new LinkedHashMap<>();
        for (long release : releases) {
            for (String table : List.of("population", "asylum_application", "asylum_decision")) {
                String from = where.apply(release).formatted(table);
                boolean staged = from.startsWith("ingest.");
                long rows = staged && scalar(c, "SELECT count(*) FROM pg_tables WHERE schemaname || '.' || tablename = '" + from + "'") == 0
                        ? 0 : scalar(c, "SELECT count(*) FROM " + from);
                counts.put("rows of " + table + " in release " + release, Long.toString(rows));
            }
        }
        return counts;
    }

    /** Loads a real file with today's loader in the source database and copies its rows into the v1 table, as v1 stored them. */
    private static void fillTheV1Way(DatasetLoader loader, Connection source, Connection v1, long release, String folder, Dataset dataset)
            throws Exception {
        ValidationReport report = load(loader, source, release, folder, dataset);
        ByteArrayOutputStream rows = new ByteArrayOutputStream();
        source.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY (SELECT * FROM " + Publications.stagedTable(source, dataset, release)
                + ") TO STDOUT", rows);
        long copied = v1.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + dataset.table() + " FROM STDIN",
                new ByteArrayInputStream(rows.toByteArray()));
        assertEquals(report.rows(), copied);
        registerUpload(v1, release, dataset, report);
    }

    private static ValidationReport load(DatasetLoader loader, Connection connection, long release, String folder, Dataset dataset)
            throws Exception {
        try (InputStream in = Files.newInputStream(RepositoryFiles.sampleData(folder + "/" + FILES.get(dataset)))) {
            ValidationReport report = loader.load(in, dataset, release, connection);
            assertTrue(report.valid(), folder + " " + dataset.pathName() + ": " + report.errors());
            return report;
        }
    }

    private static void registerUpload(Connection c, long release, Dataset dataset, ValidationReport report) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("INSERT INTO ingest.upload (release_id, dataset, sha256, size_bytes, format, valid, current,"
                + " row_count, years, report, uploaded_by, uploaded_at) VALUES (?, ?, ?, 0, ?, true, true, ?, ?, '{}', 'analyst', now())")) {
            st.setLong(1, release);
            st.setString(2, dataset.pathName());
            st.setString(3, "sha-" + release + "-" + dataset.pathName());
            st.setString(4, report.format());
            st.setInt(5, (int) report.rows());
            st.setArray(6, c.createArrayOf("integer", report.years().toArray()));
            st.executeUpdate();
        }
    }

    private static long release(Connection c, String title, String publishedOn, String preliminary, String state, Long publicationSeq)
            throws SQLException {
        try (PreparedStatement st = c.prepareStatement("INSERT INTO ingest.release (title, published_on, preliminary_years, state, created_by,"
                + " created_at, publication_seq, published_by, published_at, retracted_by, retracted_at)"
                + " VALUES (?, ?::date, ?::int[], ?, 'analyst', now(), ?, ?, ?, ?, ?) RETURNING id")) {
            boolean published = publicationSeq != null;
            st.setString(1, title);
            st.setString(2, publishedOn);
            st.setString(3, preliminary);
            st.setString(4, state);
            st.setObject(5, publicationSeq);
            st.setString(6, published ? "reviewer" : null);
            st.setObject(7, published ? java.time.OffsetDateTime.now() : null);
            st.setString(8, "RETRACTED".equals(state) ? "admin" : null);
            st.setObject(9, "RETRACTED".equals(state) ? java.time.OffsetDateTime.now() : null);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static List<String> partitions(Connection c, String table) throws SQLException {
        List<String> names = new ArrayList<>();
        for (String row : rows(c, "SELECT h.inhrelid::regclass::text FROM pg_inherits h WHERE h.inhparent = 'stats." + table
                + "'::regclass ORDER BY 1").split("\n")) {
            names.add(row.replaceFirst("^stats\\.", ""));
        }
        return sorted(names);
    }

    private static List<String> sorted(List<String> names) {
        return names.stream().sorted().toList();
    }

    private static String rows(Connection c, String sql) throws SQLException {
        StringBuilder text = new StringBuilder();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                for (int i = 1; i <= columns; i++) {
                    text.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                text.append('\n');
            }
        }
        return text.toString().strip();
    }

    private static List<Long> longs(Connection c, String sql) throws SQLException {
        return rows(c, sql).lines().map(Long::parseLong).toList();
    }

    private static long scalar(Connection c, String sql) throws SQLException {
        return Long.parseLong(rows(c, sql));
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static void createDatabase(String name) throws SQLException {
        try (Connection c = Postgres.shared().connectAsSuperuser(); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name);
            st.execute("CREATE DATABASE " + name + " OWNER " + Postgres.OWNER);
        }
    }

    /** Flyway as ingest-service runs it at start (same schemas, history in schema ingest). */
    private static FluentConfiguration flyway(String database) {
        return Flyway.configure()
                .dataSource(url(database), Postgres.OWNER, Postgres.OWNER)
                .locations("filesystem:" + RepositoryFiles.migrations().toAbsolutePath())
                .schemas("ingest", "stats")
                .defaultSchema("ingest");
    }

    private static Connection connect(String database, String role) throws SQLException {
        return DriverManager.getConnection(url(database), role, role);
    }

    private static String url(String database) {
        return Postgres.shared().jdbcUrl().replaceFirst("/" + Postgres.DATABASE + "$", "/" + database);
    }
}
