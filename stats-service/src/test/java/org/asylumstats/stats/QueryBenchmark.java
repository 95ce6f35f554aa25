package org.asylumstats.stats;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.asylumstats.stats.cache.AnswerCache;
import org.asylumstats.stats.catalog.Catalog;
import org.asylumstats.stats.database.Sql;
import org.asylumstats.stats.figures.Dimension;
import org.asylumstats.stats.figures.FigureFilter;
import org.asylumstats.stats.figures.Measure;
import org.asylumstats.stats.figures.SqlStatement;
import org.asylumstats.stats.figures.StatementBuilder;
import org.asylumstats.stats.figures.Unit;
import org.asylumstats.stats.figures.YearRange;
import org.asylumstats.testing.KeycloakResource;
import org.asylumstats.testing.PostgresResource;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Vintage scaling: cold p50/p99 of the dashboard's questions (series, top 10 destinations, period
 * total, compare, revisions, recognition rates; 60 distinct questions) at 1, 10 and 40 published
 * releases (the gt2023 files published again as new releases), asked once each straight on
 * stats-service with the answer cache dropped, 1 client, the JIT warmed first on 60 other questions;
 * next to the same statements (the builder's) run as plain SQL over JDBC. Prints the table and
 * writes it to target/query-benchmark.txt; asserts nothing about times (machines are noisy).
 * {@link #demographicQuestions} measures the demographic questions the same way.
 * Run with {@code ./mvnw -pl stats-service verify -Pbenchmark}.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "role", value = "reader"))
@QuarkusTestResource(KeycloakResource.class)
@Tag("benchmark")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the vintage scaling counts the releases it publishes from none
class QueryBenchmark {

    /** The first ten are asked in the measurements, the others warm the JIT. */
    private static final List<String> ORIGINS = List.of("SYR", "AFG", "UKR", "VEN", "SSD", "MMR", "COD", "SDN", "SOM", "CAF",
            "ERI", "BDI", "IRQ", "NGA", "CHN", "COL", "PAK", "IRN", "TUR", "RUS");
    private static final int KINDS = 6;
    private static final int REVISIONS = 4;
    private static final int[] RELEASES = {1, 10, 40};
    /** Rounds of the other questions before each measurement: enough for the JIT to compile the service's path. */
    private static final int WARM_UP_ROUNDS = 10;
    private static final com.fasterxml.jackson.databind.json.JsonMapper JSON = com.fasterxml.jackson.databind.json.JsonMapper.builder().build();

    @TestHTTPResource("/graphql")
    URL graphql;
    @Inject
    AnswerCache cache;
    @Inject
    Catalog catalog;
    @Inject
    AgroalDataSource dataSource;

    private final HttpClient http = HttpClient.newHttpClient();

    /** A dashboard question as GraphQL and as the builder's statements. */
    record Question(String graphql, Function<StatementBuilder, List<SqlStatement>> statements) {
    }

    static Question question(String origin, int kind) {
        FigureFilter f = new FigureFilter(List.of(origin), null, null, null, null, null, null, null, Unit.PERSONS, null, null, null);
        String o = "filter: {origin: [\"" + origin + "\"]";
        return switch (kind) {
            case 0 -> new Question("{ series(measure: REFUGEES, " + o + ", years: {from: 2000, to: 2023}}) { year value status release { title } } }",
                    b -> List.of(b.series(Measure.REFUGEES, f.withYears(new YearRange(2000, 2023)), null)));
            case 1 -> new Question("{ figures(measure: ASYLUM_SEEKERS, " + o + ", years: {from: 2023, to: 2023}}, groupBy: [ASYLUM], first: 10)"
                    + " { total rows { asylum { code name } value share } } }",
                    b -> List.of(b.figuresSummary(Measure.ASYLUM_SEEKERS, f.withYears(new YearRange(2023, 2023)), List.of(Dimension.ASYLUM), null),
                            b.figuresRows(Measure.ASYLUM_SEEKERS, f.withYears(new YearRange(2023, 2023)), List.of(Dimension.ASYLUM), 10, null)));
            case 2 -> new Question("{ figures(measure: REFUGEES, " + o + ", years: {from: 2013, to: 2023}}) { total preliminary releases { title } } }",
                    b -> List.of(b.figuresSummary(Measure.REFUGEES, f.withYears(new YearRange(2013, 2023)), List.of(), null)));
            case 3 -> new Question("{ compare(measure: REFUGEES, " + o + "}, period: {from: 2021, to: 2023}, baseline: {from: 2017, to: 2019}) { ratio } }",
                    b -> List.of(b.compare(Measure.REFUGEES, f, new YearRange(2021, 2023), new YearRange(2017, 2019), null, Set.of())));
            case 4 -> new Question("{ revisions(measure: REFUGEES, " + o + ", years: {from: 2022, to: 2023}}) { year vintages { value change } } }",
                    b -> List.of(b.revisions(Measure.REFUGEES, f.withYears(new YearRange(2022, 2023)), List.of(), 500)));
            default -> new Question("{ recognitionRates(" + o + ", years: {from: 2013, to: 2023}}, groupBy: [YEAR]) { year totalRecognitionRate } }",
                    b -> List.of(b.recognitionRates(f.withYears(new YearRange(2013, 2023)), List.of(Dimension.YEAR), 500, null)));
        };
    }

    static List<Question> questions(List<String> origins) {
        List<Question> out = new ArrayList<>();
        for (String origin : origins) {
            for (int kind = 0; kind < KINDS; kind++) {
                out.add(question(origin, kind));
            }
        }
        return out;
    }

    @Test
    @Order(1)
    void vintageScaling() throws Exception {
        List<Question> measured = questions(ORIGINS.subList(0, 10));
        List<Question> warmUp = questions(ORIGINS.subList(10, 20));
        StringBuilder table = new StringBuilder(String.format("%n%-9s %-26s %9s %14s %14s %14s %14s%n", "releases", "questions", "count",
                "service p50", "service p99", "plain SQL p50", "plain SQL p99"));
        int published = 0;
        for (int releases : RELEASES) {
            while (published < releases) {
                PublishedReleases.publish("gt2023", "Global Trends 2023 #" + (published + 1), LocalDate.of(2024, 6, 13).plusDays(published), "{}", "{}");
                published++;
            }
            int expected = published;
            await().atMost(Duration.ofSeconds(60)).until(() -> catalog.releases().size() == expected);
            double[][] times = warmedThenCold(warmUp, measured);
            double[] service = times[0];
            double[] plain = times[1];
            table.append(row(releases, "all (ms)", service, plain, i -> true));
            // revisions read every published release by definition: the other questions read only what is in force
            table.append(row(releases, "all but revisions (ms)", service, plain, i -> i % KINDS != REVISIONS));
            table.append(row(releases, "revisions (ms)", service, plain, i -> i % KINDS == REVISIONS));
        }
        System.out.println(table);
        Files.writeString(Path.of("target/query-benchmark.txt"), table.toString());
        assertEquals(RELEASES[RELEASES.length - 1], catalog.releases().size());
    }

    /**
     * Cold p50/p99 of demographic questions (one origin, one year, grouped by sex and by age group)
     * over my2023 and gt2023 with all five datasets, next to the same statements as plain SQL.
     */
    @Test
    @Order(2)
    void demographicQuestions() throws Exception {
        PublishedReleases.ensure();
        await().atMost(Duration.ofSeconds(60)).until(() -> catalog.releases().size() >= 2);
        List<Question> measured = new ArrayList<>();
        List<Question> warmUp = new ArrayList<>();
        for (int i = 0; i < ORIGINS.size(); i++) {
            for (Dimension by : List.of(Dimension.SEX, Dimension.AGE_GROUP)) {
                (i < 10 ? measured : warmUp).add(demographic(ORIGINS.get(i), by));
            }
        }
        double[][] times = warmedThenCold(warmUp, measured);
        double[] service = times[0];
        double[] plain = times[1];
        String table = String.format("%n%-9s %-26s %9s %14s %14s %14s %14s%n", "releases", "questions", "count",
                "service p50", "service p99", "plain SQL p50", "plain SQL p99")
                + row(catalog.releases().size(), "demographics by sex (ms)", service, plain, i -> i % 2 == 0)
                + row(catalog.releases().size(), "demographics by age (ms)", service, plain, i -> i % 2 == 1);
        System.out.println(table);
        Files.writeString(Path.of("target/demographics-benchmark.txt"), table);
        assertEquals(measured.size(), service.length);
    }

    /** People from {@code origin} in 2023, all countries of asylum, by sex or by age group. */
    static Question demographic(String origin, Dimension by) {
        FigureFilter f = new FigureFilter(List.of(origin), null, null, null, new YearRange(2023, 2023), null, null, null, Unit.PERSONS,
                null, null, null);
        String field = by == Dimension.SEX ? "sex" : "ageGroup";
        return new Question("{ figures(measure: DEMOGRAPHICS, filter: {origin: [\"" + origin + "\"], years: {from: 2023, to: 2023}}, groupBy: ["
                + by + "]) { total rows { " + field + " value share } } }",
                b -> List.of(b.figuresSummary(Measure.DEMOGRAPHICS, f, List.of(by), null), b.figuresRows(Measure.DEMOGRAPHICS, f, List.of(by), 100, null)));
    }

    /**
     * Warms the JIT on {@code warmUp} (service and plain SQL), drops the answer cache, then times each
     * of {@code measured} once through the service and once as plain SQL: {service ms, plain SQL ms}.
     */
    private double[][] warmedThenCold(List<Question> warmUp, List<Question> measured) throws Exception {
        for (int round = 0; round < WARM_UP_ROUNDS; round++) {
            cache.dropAll();
            for (Question q : warmUp) {
                post(q.graphql());
                plainSql(q);
            }
        }
        cache.dropAll();
        return new double[][]{latencies(measured, q -> post(q.graphql())), latencies(measured, this::plainSql)};
    }

    private static String row(int releases, String questions, double[] service, double[] plain, IntPredicate which) {
        double[] s = IntStream.range(0, service.length).filter(which).mapToDouble(i -> service[i]).toArray();
        double[] p = IntStream.range(0, plain.length).filter(which).mapToDouble(i -> plain[i]).toArray();
        return String.format("%-9d %-26s %9d %14.2f %14.2f %14.2f %14.2f%n", releases, questions, s.length,
                percentile(s, 0.50), percentile(s, 0.99), percentile(p, 0.50), percentile(p, 0.99));
    }

    @FunctionalInterface
    interface Call {
        void ask(Question q) throws Exception;
    }

    /** Milliseconds each question took, asked once each in order. */
    private static double[] latencies(List<Question> questions, Call call) throws Exception {
        double[] ms = new double[questions.size()];
        for (int i = 0; i < ms.length; i++) {
            long t0 = System.nanoTime();
            call.ask(questions.get(i));
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        return ms;
    }

    private static double percentile(double[] values, double p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * p) - 1)];
    }

    private void post(String query) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(graphql.toString()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"query\":" + JSON.writeValueAsString(query) + "}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200 || response.body().contains("\"errors\"")) {
            throw new IllegalStateException(response.body());
        }
    }

    /** The builder's statements of {@code q}, run over JDBC and read to the last row: no GraphQL, no cache, no mapping. */
    private void plainSql(Question q) throws Exception {
        StatementBuilder builder = new StatementBuilder(catalog.snapshot());
        try (Connection c = dataSource.getConnection()) {
            for (SqlStatement statement : q.statements().apply(builder)) {
                try (PreparedStatement st = c.prepareStatement(statement.sql())) {
                    Sql.bind(c, st, statement.params());
                    try (ResultSet rs = st.executeQuery()) {
                        while (rs.next()) {
                            rs.getObject(1);
                        }
                    }
                }
            }
        }
    }
}
