package org.asylumstats.ingest.core;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The database side of uploads, publication and retraction (the SQL lives in the V6 migration).
 * A release's figures are staged per dataset in an unindexed table of their own on the write side,
 * sealed (indexed) once loaded, and attached to the dataset's partitioned table when the release is
 * published. Runs inside the caller's transaction, after the release's state change: figures become
 * current (or stop being) all at once at commit, and stats-service replicas hear of it through
 * {@code NOTIFY}, which PostgreSQL delivers at commit.
 */
public final class Publications {

    /** The channel stats-service listens on; the payload is the release id. */
    public static final String CHANNEL = "stats_changed";

    private Publications() {
    }

    /** Serialises publications and retractions: taken first, held until the transaction ends. */
    public static void lock(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute("SELECT pg_advisory_xact_lock(hashtext('asylum-stats:publication'))");
        }
    }

    /** The qualified name of the table that stages a release's rows of a dataset before publication. */
    public static String stagedTable(Connection connection, Dataset dataset, long releaseId) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement("SELECT ingest.staged_figures(?, ?)")) {
            st.setString(1, tableName(dataset));
            st.setLong(2, releaseId);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    /** Indexes a loaded staging table like its dataset's table and pins it to its release. */
    static void seal(Connection connection, Dataset dataset, long releaseId) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement("SELECT ingest.seal_figures(?, ?)")) {
            st.setString(1, tableName(dataset));
            st.setLong(2, releaseId);
            st.execute();
        }
    }

    /**
     * Makes a release's staged figures readable (their tables attached as partitions, which does
     * not block readers), recomputes what is current and tells the readers.
     */
    public static void publish(Connection connection, long releaseId) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement("SELECT ingest.publish_figures(?)")) {
            st.setLong(1, releaseId);
            st.execute();
        }
        refreshCurrentFigures(connection, releaseId);
    }

    /** Recomputes which release is current for every dataset-year and tells the readers (retraction). */
    public static void refreshCurrentFigures(Connection connection, long releaseId) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute("SELECT ingest.recompute_coverage()");
        }
        try (PreparedStatement notify = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
            notify.setString(1, CHANNEL);
            notify.setString(2, Long.toString(releaseId));
            notify.execute();
        }
    }

    /** Drops a draft's staged figures, every dataset's table whole (draft deleted). */
    public static void deleteFigures(Connection connection, long releaseId) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement("SELECT ingest.drop_staged_figures(?)")) {
            st.setLong(1, releaseId);
            st.execute();
        }
    }

    private static String tableName(Dataset dataset) {
        return dataset.table().substring(dataset.table().indexOf('.') + 1);
    }
}
