package org.asylumstats.ingest.core;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The country reference, resolving the codes UNHCR's files use to one canonical code (ISO3 where
 * the country has one, else UNHCR's). ISO codes win over UNHCR codes: UNHCR's AUS is Austria,
 * ISO's AUS is Australia.
 */
public final class CountryReference {

    /** One country: canonical code, and a small dense index for compact keys. */
    public record Country(String code, String isoCode, String unhcrCode, int index) {
    }

    private final Map<String, Country> byIsoOrAlias = new HashMap<>();
    private final Map<String, Country> byUnhcr = new HashMap<>();

    public CountryReference(List<Country> countries, Map<String, String> aliases) {
        Map<String, Country> byCode = new HashMap<>();
        for (Country c : countries) {
            byCode.put(c.code(), c);
            byIsoOrAlias.put(c.code(), c);
            if (c.isoCode() != null) {
                byIsoOrAlias.put(c.isoCode(), c);
            }
            byUnhcr.put(c.unhcrCode(), c);
        }
        aliases.forEach((alias, code) -> {
            Country target = byCode.get(code);
            if (target != null) {
                byIsoOrAlias.putIfAbsent(alias, target);
            }
        });
    }

    /** Reads {@code stats.country} and {@code stats.country_alias}. */
    public static CountryReference load(Connection connection) throws SQLException {
        var countries = new java.util.ArrayList<Country>();
        var aliases = new HashMap<String, String>();
        try (Statement st = connection.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT code, iso_code, unhcr_code FROM stats.country ORDER BY code")) {
                while (rs.next()) {
                    countries.add(new Country(rs.getString(1), rs.getString(2), rs.getString(3), countries.size()));
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT alias, code FROM stats.country_alias")) {
                while (rs.next()) {
                    aliases.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return new CountryReference(countries, aliases);
    }

    /** A code from an ISO column (or the canonical code, or a reconciled alias such as UNK). */
    public Country byIso(String code) {
        return code == null ? null : byIsoOrAlias.get(code.toUpperCase(Locale.ROOT));
    }

    /** A code from a UNHCR column. */
    public Country byUnhcr(String code) {
        return code == null ? null : byUnhcr.get(code.toUpperCase(Locale.ROOT));
    }

    /** Either kind, ISO first: how people name countries in queries. */
    public Country byAnyCode(String code) {
        Country iso = byIso(code);
        return iso != null ? iso : byUnhcr(code);
    }
}
