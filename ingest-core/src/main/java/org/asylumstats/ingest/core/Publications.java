package org.asylumstats.ingest.core;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The database side of publication and retraction. Runs inside the caller's transaction, after
 * the release's state change: figures become current (or stop being) all at once at commit, and
 * stats-service replicas hear of it through {@code NOTIFY}, which PostgreSQL delivers at commit.
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

    /** Recomputes which release is current for every dataset-year and tells the readers. */
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

    /** Removes a release's rows from every figure table (draft deleted). */
    public static void deleteFigures(Connection connection, long releaseId) throws SQLException {
        for (Dataset dataset : Dataset.values()) {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + dataset.table() + " WHERE release_id = ?")) {
                delete.setLong(1, releaseId);
                delete.executeUpdate();
            }
        }
    }
}
