package org.asylumstats.stats.database;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.asylumstats.stats.config.StatsConfig;
import org.asylumstats.stats.figures.QueryTimeoutException;
import org.asylumstats.stats.figures.SqlStatement;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * Runs the service's read queries: parameters bound (text arrays as arrays), the statement watched
 * for a caller who leaves, and PostgreSQL's cancellations (the role's {@code statement_timeout},
 * or a departed caller) turned into a {@code query-timeout} error instead of a server error.
 */
@ApplicationScoped
public class Sql {

    /** PostgreSQL's query_canceled: statement_timeout or a cancel request. */
    private static final String QUERY_CANCELED = "57014";

    @Inject
    AgroalDataSource dataSource;
    @Inject
    CallerWatch callers;
    @Inject
    StatsConfig config;

    @FunctionalInterface
    public interface Reader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    public <T> T query(SqlStatement statement, Reader<T> reader) {
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(statement.sql())) {
            bind(c, st, statement.params());
            try (CallerWatch.Watch watch = callers.watch(st)) {
                try (ResultSet rs = st.executeQuery()) {
                    return reader.read(rs);
                } catch (SQLException e) {
                    if (QUERY_CANCELED.equals(e.getSQLState())) {
                        throw new QueryTimeoutException(callers.cancelledForGoneCaller(st)
                                ? "the question was cancelled: its caller has gone"
                                : "the question took longer than the " + config.statementTimeout()
                                + " statement timeout; narrow it (fewer years, countries or groups)");
                    }
                    throw e;
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("query failed: " + e.getMessage(), e);
        }
    }

    /** Binds {@code params} in order: arrays as PostgreSQL arrays of their element type. */
    public static void bind(Connection c, PreparedStatement st, List<Object> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            Object p = params.get(i);
            switch (p) {
                case String[] array -> st.setArray(i + 1, c.createArrayOf("text", array));
                case Integer[] array -> st.setArray(i + 1, c.createArrayOf("int4", array));
                case Long[] array -> st.setArray(i + 1, c.createArrayOf("int8", array));
                default -> st.setObject(i + 1, p);
            }
        }
    }
}
