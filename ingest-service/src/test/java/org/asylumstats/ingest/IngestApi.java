package org.asylumstats.ingest;

import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import org.asylumstats.testing.Keycloak;
import org.asylumstats.testing.Postgres;
import org.asylumstats.testing.Tokens;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;

/** The ingest API as its users call it: real Keycloak tokens, real PostgreSQL underneath. */
final class IngestApi {

    private IngestApi() {
    }

    static String token(String user) {
        String keycloak = Keycloak.shared().baseUrl();
        return Tokens.of(keycloak + "/realms/asylum-stats/protocol/openid-connect/token", user);
    }

    static RequestSpecification as(String user) {
        return user == null ? given() : given().auth().oauth2(token(user));
    }

    static long createRelease(String user, String title, LocalDate publishedOn, List<Integer> preliminary) {
        return createRelease(user, title, publishedOn, preliminary, List.of());
    }

    /** A draft whose {@code referencePeriods} are {@code [{year, end}]}, e.g. a Mid-Year Trends release's newest year. */
    static long createRelease(String user, String title, LocalDate publishedOn, List<Integer> preliminary, List<LocalDate> periodEnds) {
        List<Map<String, Object>> referencePeriods = periodEnds.stream()
                .<Map<String, Object>>map(end -> Map.of("year", end.getYear(), "end", end.toString())).toList();
        return as(user).contentType("application/json")
                .body(Map.of("title", title, "source", "https://www.unhcr.org/refugee-statistics/", "publishedOn", publishedOn.toString(),
                        "preliminaryYears", preliminary, "referencePeriods", referencePeriods))
                .post("/api/releases").then().statusCode(201)
                .body("referencePeriods", org.hamcrest.Matchers.equalTo(referencePeriods))
                .extract().jsonPath().getLong("id");
    }

    static ValidatableResponse upload(String user, long release, String dataset, byte[] body, String contentType) {
        return as(user).contentType(contentType).body(body).put("/api/releases/" + release + "/datasets/" + dataset).then();
    }

    /** Every table holding a release's figures (staged or attached) with its row count: "ingest.population_r7=2". */
    static String figureTables(long release) {
        String sql = "SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE c.relkind = 'r' AND c.relname ~ '_r" + release + "$' ORDER BY 1";
        List<String> tables = new java.util.ArrayList<>();
        try (Connection c = Postgres.shared().connectAsOwner(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
        return String.join(",", tables.stream().map(t -> t + "=" + scalar("SELECT count(*) FROM " + t)).toList());
    }

    static long scalar(String sql) {
        try (Connection c = Postgres.shared().connectAsOwner(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}
