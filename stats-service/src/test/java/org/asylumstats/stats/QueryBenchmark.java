package org.asylumstats.stats;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.asylumstats.stats.figures.Dimension;
import org.asylumstats.stats.figures.FigureFilter;
import org.asylumstats.stats.cache.AnswerCache;
import org.asylumstats.stats.figures.FigureQueries;
import org.asylumstats.stats.figures.Measure;
import org.asylumstats.stats.figures.Unit;
import org.asylumstats.stats.figures.YearRange;
import org.asylumstats.testing.KeycloakResource;
import org.asylumstats.testing.PostgresResource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * The dashboard's query mix (series, top 10 destinations, period total, compare, revisions) over
 * my2023 + gt2023 at 1, 16 and 64 concurrent clients against stats-service: cold (cache dropped,
 * every question new) and warm, and the same aggregates run directly (same SQL, no HTTP, GraphQL
 * or cache) as the floor. Run with {@code ./mvnw -pl stats-service -am verify -Pbenchmark}.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "role", value = "reader"))
@QuarkusTestResource(KeycloakResource.class)
@Tag("benchmark")
class QueryBenchmark {

    private static final List<String> ORIGINS = List.of("SYR", "AFG", "UKR", "VEN", "SSD", "MMR", "COD", "SDN", "SOM", "CAF",
            "ERI", "BDI", "IRQ", "NGA", "CHN", "COL", "PAK", "IRN", "TUR", "RUS");

    @TestHTTPResource("/graphql")
    URL graphql;
    @Inject
    FigureQueries queries;
    @Inject
    AnswerCache cache;

    private final HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(8)).build();

    static String query(int i) {
        String o = ORIGINS.get(i / 5 % ORIGINS.size());
        return switch (i % 5) {
            case 0 -> "{ series(measure: REFUGEES, filter: {origin: [\"" + o + "\"], years: {from: 2000, to: 2023}}) { year value status } }";
            case 1 -> "{ figures(measure: ASYLUM_SEEKERS, filter: {origin: [\"" + o + "\"], years: {from: 2023, to: 2023}}, groupBy: [ASYLUM], first: 10) { total rows { asylum { code name } value share } } }";
            case 2 -> "{ figures(measure: REFUGEES, filter: {origin: [\"" + o + "\"], years: {from: 2013, to: 2023}}) { total preliminary releases { title } } }";
            case 3 -> "{ compare(measure: REFUGEES, filter: {origin: [\"" + o + "\"]}, period: {from: 2021, to: 2023}, baseline: {from: 2017, to: 2019}) { ratio } }";
            default -> "{ revisions(measure: REFUGEES, filter: {origin: [\"" + o + "\"], years: {from: 2022, to: 2023}}) { year vintages { value change } } }";
        };
    }

    static void direct(FigureQueries q, int i) {
        FigureFilter f = new FigureFilter(List.of(ORIGINS.get(i / 5 % ORIGINS.size())), null, null, null, null, null, null, null, Unit.PERSONS);
        switch (i % 5) {
            case 0 -> q.series(Measure.REFUGEES, f.withYears(new YearRange(2000, 2023)), null);
            case 1 -> q.figures(Measure.ASYLUM_SEEKERS, f.withYears(new YearRange(2023, 2023)), List.of(Dimension.ASYLUM), 10, null);
            case 2 -> q.figures(Measure.REFUGEES, f.withYears(new YearRange(2013, 2023)), List.of(), 1, null);
            case 3 -> q.compare(Measure.REFUGEES, f, new YearRange(2021, 2023), new YearRange(2017, 2019), null);
            default -> q.revisions(Measure.REFUGEES, f.withYears(new YearRange(2022, 2023)), List.of(), null);
        }
    }

    @Test
    void dashboardMix() throws Exception {
        PublishedReleases.ensure();
        int distinct = ORIGINS.size() * 5;
        run(16, distinct * 3, i -> post(query(i)));
        StringBuilder table = new StringBuilder(String.format("%n%-34s %8s %9s %10s %10s %10s%n", "path", "clients", "queries", "q/s", "p50 ms", "p99 ms"));
        for (int clients : new int[]{1, 16, 64}) {
            cache.dropAll();
            table.append(row("stats-service cold (all misses)", clients, run(clients, distinct, i -> post(query(i)))));
            table.append(row("stats-service warm (cached)", clients, run(clients, 20_000, i -> post(query(i % distinct)))));
            cache.dropAll();
            table.append(row("direct SQL floor (no cache)", clients, run(clients, distinct, i -> {
                cache.dropAll();
                direct(queries, i);
            })));
        }
        System.out.println(table);
        Files.writeString(Path.of("target/query-benchmark.txt"), table.toString());
    }

    private void post(String query) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(graphql.toString()))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"query\":" + com.fasterxml.jackson.databind.json.JsonMapper.builder().build().writeValueAsString(query) + "}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200 || response.body().contains("\"errors\"")) {
                throw new IllegalStateException(response.body());
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs {@code count} calls over {@code clients} threads; answers [throughput, p50 ms, p99 ms, count]. */
    private static double[] run(int clients, int count, IntConsumer call) throws Exception {
        long[] latencies = new long[count];
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        List<Future<?>> workers = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            workers.add(pool.submit(() -> {
                for (int i; (i = next.getAndIncrement()) < count; ) {
                    long t0 = System.nanoTime();
                    call.accept(i);
                    latencies[i] = System.nanoTime() - t0;
                }
            }));
        }
        for (Future<?> w : workers) {
            w.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        Arrays.sort(latencies);
        return new double[]{count / seconds, latencies[count / 2] / 1e6, latencies[(int) Math.min(count - 1, Math.ceil(count * 0.99) - 1)] / 1e6, count};
    }

    private static String row(String path, int clients, double[] r) {
        return String.format("%-34s %8d %9d %10.0f %10.2f %10.2f%n", path, clients, (long) r[3], r[0], r[1], r[2]);
    }
}
