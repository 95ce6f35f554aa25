package org.asylumstats.ingest.core;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * The solutions file repeats the population file's returns (returned_refugees, returned_idps). When
 * a release holds both, they are compared per year, origin and asylum over the years both carry, in
 * SQL between the release's two staged tables. A difference is a warning, not an error: real files
 * must load, and the returns measures read the population file whatever the solutions file says.
 * A key missing from one file, or not reported there, agrees with a 0 in the other: the population
 * file reports 0 for the keys the solutions file leaves out (about 107,000 in gt2023).
 */
final class ReturnsAgreement {

    static final String CODE = "returns-differ";

    private ReturnsAgreement() {
    }

    /** Whether an upload of this dataset may disagree with the other file of its release. */
    static boolean concerns(Dataset dataset) {
        return dataset == Dataset.POPULATION || dataset == Dataset.SOLUTIONS;
    }

    /** The warning when the release's population and solutions files (both staged) disagree; empty when they agree or one is missing. */
    static Optional<Issue> check(Connection connection, long releaseId) throws SQLException {
        String population = Publications.stagedTable(connection, Dataset.POPULATION, releaseId);
        String solutions = Publications.stagedTable(connection, Dataset.SOLUTIONS, releaseId);
        try (Statement st = connection.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT to_regclass('" + population + "') IS NOT NULL AND to_regclass('" + solutions + "') IS NOT NULL")) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return Optional.empty();
                }
            }
            String sql = "WITH p AS (SELECT year, origin, asylum, returned_refugees, returned_idps FROM " + population + "),"
                    + " s AS (SELECT year, origin, asylum, returned_refugees, returned_idps FROM " + solutions + "),"
                    + " both_years AS (SELECT year FROM p INTERSECT SELECT year FROM s)"
                    + " SELECT year, origin, asylum, p.returned_refugees, s.returned_refugees, p.returned_idps, s.returned_idps,"
                    + " count(*) OVER () AS differing"
                    + " FROM p FULL JOIN s USING (year, origin, asylum)"
                    + " WHERE year IN (SELECT year FROM both_years)"
                    + " AND (coalesce(p.returned_refugees, 0) <> coalesce(s.returned_refugees, 0)"
                    + " OR coalesce(p.returned_idps, 0) <> coalesce(s.returned_idps, 0))"
                    + " ORDER BY year, origin, asylum LIMIT 1";
            try (ResultSet rs = st.executeQuery(sql)) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Issue(0, null, CODE, "returned_refugees or returned_idps differ between the population and the solutions file for "
                        + rs.getLong("differing") + " year, origin and asylum key(s) (not reported counts as 0); the first: "
                        + rs.getInt(1) + " " + Excerpt.of(rs.getString(2)) + " in " + Excerpt.of(rs.getString(3))
                        + ", population " + shown(rs, 4) + " and " + shown(rs, 6) + ", solutions " + shown(rs, 5) + " and " + shown(rs, 7)
                        + "; the returns measures read the population file"));
            }
        }
    }

    private static String shown(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? "not reported" : Long.toString(value);
    }
}
