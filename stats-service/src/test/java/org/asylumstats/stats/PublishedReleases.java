package org.asylumstats.stats;

import org.asylumstats.ingest.core.CountryReference;
import org.asylumstats.ingest.core.Dataset;
import org.asylumstats.ingest.core.DatasetLoader;
import org.asylumstats.ingest.core.Publications;
import org.asylumstats.ingest.core.ValidationReport;
import org.asylumstats.testing.Postgres;
import org.asylumstats.testing.RepositoryFiles;

import java.io.InputStream;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.Map;

/**
 * Publishes the real UNHCR releases the way ingest-service does: its loader (COPY) and its
 * publication SQL, in one transaction per release. Only the release row is written here.
 */
public final class PublishedReleases {

    private static final Map<Dataset, String> FILES = Map.of(
            Dataset.POPULATION, "population.csv.gz",
            Dataset.ASYLUM_APPLICATIONS, "asylum_applications.csv.gz",
            Dataset.ASYLUM_DECISIONS, "asylum_decisions.csv.gz",
            Dataset.DEMOGRAPHICS, "demographics.csv.gz",
            Dataset.SOLUTIONS, "solutions.csv.gz");

    public static long midYear;
    public static long globalTrends;

    private PublishedReleases() {
    }

    public static synchronized void ensure() {
        if (midYear != 0) {
            return;
        }
        midYear = publish("my2023", "Mid-Year Trends 2023", LocalDate.of(2023, 10, 25), "{2023}", "{2023-06-30}");
        globalTrends = publish("gt2023", "Global Trends 2023", LocalDate.of(2024, 6, 13), "{}", "{}");
    }

    static long publish(String folder, String title, LocalDate publishedOn, String preliminaryYears, String referencePeriodEnds) {
        try (Connection c = Postgres.shared().connectAsOwner()) {
            c.setAutoCommit(false);
            long id = publish(c, folder, title, publishedOn, preliminaryYears, referencePeriodEnds);
            c.commit();
            return id;
        } catch (Exception e) {
            throw new IllegalStateException("could not publish " + folder, e);
        }
    }

    /**
     * Publishes {@code folder}'s files as a new release in {@code c}'s transaction, which the caller commits or rolls back.
     * The years and period ends are SQL array literals: "{2023}", "{2023-06-30}".
     */
    static long publish(Connection c, String folder, String title, LocalDate publishedOn, String preliminaryYears,
                        String referencePeriodEnds) throws Exception {
        long id;
        try (PreparedStatement st = c.prepareStatement("INSERT INTO ingest.release (title, source, published_on, preliminary_years, reference_period_ends, state, created_by, created_at)"
                + " VALUES (?, 'UNHCR Refugee Data Finder', ?, ?::int[], ?::date[], 'SUBMITTED', 'analyst', now()) RETURNING id")) {
            st.setString(1, title);
            st.setObject(2, publishedOn);
            st.setString(3, preliminaryYears);
            st.setString(4, referencePeriodEnds);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                id = rs.getLong(1);
            }
        }
        DatasetLoader loader = new DatasetLoader(CountryReference.load(c), 1L << 30);
        for (Dataset dataset : Dataset.values()) {
            ValidationReport report;
            try (InputStream in = Files.newInputStream(RepositoryFiles.sampleData(folder + "/" + FILES.get(dataset)))) {
                report = loader.load(in, dataset, id, c);
            }
            if (!report.valid()) {
                throw new IllegalStateException(report.errors().toString());
            }
            try (PreparedStatement st = c.prepareStatement("INSERT INTO ingest.upload (release_id, dataset, sha256, size_bytes, format, valid, current, row_count, years, report, uploaded_by, uploaded_at)"
                    + " VALUES (?, ?, 'test', 0, ?, true, true, ?, ?, '{}', 'analyst', now())")) {
                st.setLong(1, id);
                st.setString(2, dataset.pathName());
                st.setString(3, report.format());
                st.setLong(4, report.rows());
                st.setArray(5, c.createArrayOf("int4", report.years().toArray()));
                st.executeUpdate();
            }
        }
        Publications.lock(c);
        try (PreparedStatement st = c.prepareStatement("UPDATE ingest.release SET state = 'PUBLISHED', published_by = 'reviewer', published_at = now(),"
                + " publication_seq = nextval('ingest.publication_seq') WHERE id = ?")) {
            st.setLong(1, id);
            st.executeUpdate();
        }
        Publications.publish(c, id);
        return id;
    }

    public static void setState(long id, String state) {
        try (Connection c = Postgres.shared().connectAsOwner()) {
            c.setAutoCommit(false);
            setState(c, id, state);
            c.commit();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sets a release's state in {@code c}'s transaction (the caller commits or rolls back), as a retraction does. */
    static void setState(Connection c, long id, String state) throws Exception {
        Publications.lock(c);
        try (PreparedStatement st = c.prepareStatement("UPDATE ingest.release SET state = ? WHERE id = ?")) {
            st.setString(1, state);
            st.setLong(2, id);
            st.executeUpdate();
        }
        Publications.refreshCurrentFigures(c, id);
    }
}
