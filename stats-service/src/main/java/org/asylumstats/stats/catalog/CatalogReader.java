package org.asylumstats.stats.catalog;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the catalog with plain JDBC: a few hundred rows of four small relations. */
@ApplicationScoped
public class CatalogReader implements CatalogSource {

    /** The in-force map: per dataset and release, its years. "As of" is the same over stats.in_force(id). */
    static final String CURRENT = "SELECT dataset, release_id, array_agg(year ORDER BY year) FROM stats.coverage GROUP BY 1, 2 ORDER BY 1, 2";
    static final String AS_OF = "SELECT dataset, release_id, array_agg(year ORDER BY year) FROM stats.in_force(?) GROUP BY 1, 2 ORDER BY 1, 2";

    @Inject
    AgroalDataSource dataSource;

    @Override
    public Countries countries() {
        try (Connection c = dataSource.getConnection()) {
            return countries(c);
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the countries: " + e.getMessage(), e);
        }
    }

    public static Countries countries(Connection c) throws SQLException {
        Map<String, Country> byCode = new LinkedHashMap<>();
        try (PreparedStatement st = c.prepareStatement("SELECT code, iso_code, unhcr_code, name, region, subregion FROM stats.country ORDER BY name");
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                byCode.put(rs.getString(1), new Country(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6)));
            }
        }
        Map<String, String> aliases = new HashMap<>();
        try (PreparedStatement st = c.prepareStatement("SELECT alias, code FROM stats.country_alias"); ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                aliases.put(rs.getString(1), rs.getString(2));
            }
        }
        return Countries.of(byCode, aliases);
    }

    @Override
    public Publications publications() {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                return publications(c);
            } finally {
                c.rollback();
                c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the releases: " + e.getMessage(), e);
        }
    }

    /** The visible releases and what is in force now, as {@code c}'s transaction sees them. */
    public static Publications publications(Connection c) throws SQLException {
        Map<Long, Release> releases = new LinkedHashMap<>();
        try (PreparedStatement st = c.prepareStatement("SELECT id, title, source, published_on, preliminary_years, state, datasets, reference_period_ends"
                + " FROM stats.release ORDER BY published_on, publication_seq"); ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                releases.put(rs.getLong(1), new Release(rs.getLong(1), rs.getString(2), rs.getString(3),
                        rs.getObject(4, LocalDate.class), ints(rs.getArray(5)), rs.getString(6), strings(rs.getArray(7)), referencePeriods(rs.getArray(8))));
            }
        }
        InForce current;
        try (PreparedStatement st = c.prepareStatement(CURRENT)) {
            current = inForce(st);
        }
        return new Publications(releases, current);
    }

    /** Whether the schema the service reads is there: the in-force function and the coverage it materialises. */
    public boolean schemaPresent() {
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(
                "SELECT to_regprocedure('stats.in_force(bigint)') IS NOT NULL AND to_regclass('stats.coverage') IS NOT NULL");
             ResultSet rs = st.executeQuery()) {
            return rs.next() && rs.getBoolean(1);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public InForce inForceAsOf(long asOf) {
        try (Connection c = dataSource.getConnection()) {
            return inForceAsOf(c, asOf);
        } catch (SQLException e) {
            throw new IllegalStateException("could not read what was in force as of release " + asOf + ": " + e.getMessage(), e);
        }
    }

    public static InForce inForceAsOf(Connection c, long asOf) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(AS_OF)) {
            st.setLong(1, asOf);
            return inForce(st);
        }
    }

    private static InForce inForce(PreparedStatement st) throws SQLException {
        Map<String, List<InForce.ReleaseYears>> byDataset = new HashMap<>();
        try (ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                byDataset.computeIfAbsent(rs.getString(1), d -> new ArrayList<>())
                        .add(new InForce.ReleaseYears(rs.getLong(2), ints(rs.getArray(3))));
            }
        }
        Map<String, List<InForce.ReleaseYears>> frozen = new HashMap<>();
        byDataset.forEach((dataset, releases) -> frozen.put(dataset, List.copyOf(releases)));
        return new InForce(Map.copyOf(frozen));
    }

    private static List<Integer> ints(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.stream((Object[]) array.getArray()).map(o -> ((Number) o).intValue()).toList();
    }

    private static List<ReferencePeriod> referencePeriods(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.stream((Object[]) array.getArray())
                .map(o -> ((java.sql.Date) o).toLocalDate()).map(end -> new ReferencePeriod(end.getYear(), end)).toList();
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.stream((Object[]) array.getArray()).map(String.class::cast).toList();
    }
}
