package org.asylumstats.ingest;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.asylumstats.ingest.core.Dataset;
import org.asylumstats.ingest.core.Publications;
import org.asylumstats.testing.KeycloakResource;
import org.asylumstats.testing.Postgres;
import org.asylumstats.testing.PostgresResource;
import org.asylumstats.testing.RepositoryFiles;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

import java.io.BufferedWriter;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static org.asylumstats.ingest.IngestApi.as;
import static org.asylumstats.ingest.IngestApi.token;

/**
 * Prints ingest figures for the full gt2023 release (all five files): our upload path against raw {@code COPY} of the
 * same decompressed files into an unindexed table in the same run, where our time goes, the
 * publication call with 1, 10 and 40 releases held, and the peak heap for a 1× and a 10× population
 * file. Run with {@code ./mvnw -B verify -Pbenchmark -pl ingest-service}; it asserts nothing about
 * time. The table goes to {@code target/ingest-benchmark.txt}; the committed last run is
 * {@code src/test/resources/benchmarks/ingest-last-run.txt}.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
@Tag("benchmark")
@io.quarkus.test.junit.TestProfile(IngestBenchmark.LargeFiles.class)
class IngestBenchmark {

    /** The tests' 8 MB upload, 64 MB inflated and 10 s body limits would refuse the 10× file. */
    public static class LargeFiles implements io.quarkus.test.junit.QuarkusTestProfile {
        @Override
        public java.util.Map<String, String> getConfigOverrides() {
            return java.util.Map.of("asylumstats.ingest.max-upload-bytes", "1G", "asylumstats.ingest.max-inflated-bytes", "2G",
                    "asylumstats.ingest.max-upload-duration", "120S");
        }
    }

    private static final List<String[]> FILES = List.of(
            new String[]{"population", "population.csv.gz", "year int, coo_name text, coo text, coo_iso text, coa_name text, coa text, coa_iso text, refugees bigint, asylum_seekers bigint, returned_refugees bigint, idps bigint, returned_idps bigint, stateless bigint, ooc bigint, oip bigint, hst bigint"},
            new String[]{"asylum-applications", "asylum_applications.csv.gz", "year int, coo_name text, coo text, coo_iso text, coa_name text, coa text, coa_iso text, procedure_type text, app_type text, dec_level text, app_pc text, applied bigint"},
            new String[]{"asylum-decisions", "asylum_decisions.csv.gz", "year int, coo_name text, coo text, coo_iso text, coa_name text, coa text, coa_iso text, procedure_type text, dec_level text, dec_pc text, dec_recognized bigint, dec_other bigint, dec_rejected bigint, dec_closed bigint, dec_total bigint"},
            new String[]{"demographics", "demographics.csv.gz", "year int, coo_name text, coo text, coo_iso text, coa_name text, coa text, coa_iso text, pop_type text, location text, loc_type text, acc_type text, "
                    + "f_0_4 bigint, f_5_11 bigint, f_12_17 bigint, f_18_59 bigint, f_60 bigint, f_other bigint, f_total bigint, "
                    + "m_0_4 bigint, m_5_11 bigint, m_12_17 bigint, m_18_59 bigint, m_60 bigint, m_other bigint, m_total bigint, total bigint"},
            // after population: the upload's time includes comparing its returns with the population file's
            new String[]{"solutions", "solutions.csv.gz", "year int, coo_name text, coo text, coo_iso text, coa_name text, coa text, coa_iso text, returned_refugees bigint, resettlement bigint, naturalisation bigint, returned_idps bigint"});
    private static final List<Integer> HELD = List.of(1, 10, 40);
    /** A release id no test creates: the staging table name the seal timing borrows. */
    private static final long SCRATCH_RELEASE = 999_999_999L;

    @TestHTTPResource("/")
    URL base;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void gt2023AgainstRawCopyPublicationAndHeap() throws Exception {
        warmUp();
        long release = IngestApi.createRelease("analyst", "Benchmark gt2023", LocalDate.of(2024, 6, 13), List.of());
        String table = ingestTable(release) + publicationTable() + heapTable();
        System.out.println(table);
        Files.writeString(Path.of("target/ingest-benchmark.txt"), table);
    }

    /** Each of the five gt2023 files uploaded into {@code release}, against raw COPY of the same file; our time split by stage. */
    private String ingestTable(long release) throws Exception {
        StringBuilder out = new StringBuilder(String.format("%nIngest of gt2023: our upload against raw COPY into an unindexed table%n"
                + "%-20s %8s %9s %9s %7s | %10s %8s %10s | %12s%n", "file", "rows", "ours s", "COPY s", "ratio", "our COPY s", "seal s", "rest s",
                "v1 indexed s"));
        double oursTotal = 0;
        double copyTotal = 0;
        long rowsTotal = 0;
        for (String[] file : FILES) {
            Path path = RepositoryFiles.sampleData("gt2023/" + file[1]);
            Timed response = upload(release, file[0], path, token("analyst"));
            double ours = response.seconds;
            if (response.response.statusCode() != 200) {
                throw new IllegalStateException(response.response.body());
            }
            long rows = Long.parseLong(response.response.body().replaceAll(".*\"rows\":(\\d+).*", "$1"));
            double copy = rawCopy(file[2], path);
            double[] stages = ourStages(Dataset.fromPath(file[0]).orElseThrow(), release);
            oursTotal += ours;
            copyTotal += copy;
            rowsTotal += rows;
            out.append(String.format("%-20s %8d %9.2f %9.2f %7.2f | %10.2f %8.2f %10.2f | %12.2f%n", file[0], rows, ours, copy, ours / copy,
                    stages[0], stages[1], ours - stages[0] - stages[1], stages[2]));
        }
        out.append(String.format("%-20s %8d %9.2f %9.2f %7.2f%n", "whole release", rowsTotal, oursTotal, copyTotal, oursTotal / copyTotal));
        out.append("ours: the HTTP upload (spooled to disk and hashed, validated, COPY into the release's staging table, sealed).\n"
                + "COPY: the decompressed CSV into a table of its columns, no index (the floor). Split of ours: our COPY = the\n"
                + "stored rows loaded again with COPY into an unindexed table; seal = ingest.seal_figures on it (3 indexes,\n"
                + "CHECK, ANALYZE); rest = HTTP, spooling, gunzip, parsing and validation, and what overlaps. v1 indexed = the\n"
                + "same rows loaded with COPY into a table carrying v1's three indexes, then ANALYZE (the v1 store's database side).\n");
        return out.toString();
    }

    /**
     * The publish call (submit excluded) of gt2023's population, applications and decisions files,
     * published again and again as new releases, at 1, 10 and 40 published releases held (counting
     * the one being published). The three files of the earlier runs, so that these figures stay comparable.
     */
    private String publicationTable() throws Exception {
        StringBuilder out = new StringBuilder(String.format("%nPublication (the publish call) of a release of population, applications and decisions%n%-16s %12s%n",
                "releases held", "publish s"));
        for (int held = 1; held <= HELD.get(HELD.size() - 1); held++) {
            long release = IngestApi.createRelease("analyst", "Benchmark gt2023 #" + held, LocalDate.of(2024, 6, 13).plusDays(held), List.of());
            for (String[] file : FILES.subList(0, 3)) {
                Timed response = upload(release, file[0], RepositoryFiles.sampleData("gt2023/" + file[1]), token("analyst"));
                if (response.response.statusCode() != 200) {
                    throw new IllegalStateException(response.response.body());
                }
            }
            as("analyst").post("/api/releases/" + release + "/submit").then().statusCode(200);
            Timed published = call("POST", "/api/releases/" + release + "/publish", HttpRequest.BodyPublishers.noBody(),
                    token("reviewer"), "application/json");
            if (published.response.statusCode() != 200) {
                throw new IllegalStateException(published.response.body());
            }
            if (HELD.contains(held)) {
                out.append(String.format("%-16d %12.3f%n", held, published.seconds));
            }
        }
        return out.toString();
    }

    /** Peak heap during the upload of the population file and of a synthetic file 10× its size. */
    private String heapTable() throws Exception {
        Path one = RepositoryFiles.sampleData("gt2023/population.csv.gz");
        Path ten = syntheticPopulation(10 * 126_402);
        long release = IngestApi.createRelease("analyst", "Heap", LocalDate.of(1990, 1, 1), List.of());
        StringBuilder out = new StringBuilder(String.format("%n%-32s %12s %14s%n", "population file", "size MB", "peak heap MB"));
        for (Path file : List.of(one, ten)) {
            System.gc();
            ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
            Timed response = upload(release, "population", file, token("analyst"));
            if (response.response.statusCode() != 200) {
                throw new IllegalStateException(response.response.body());
            }
            long peak = ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                    .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
            out.append(String.format("%-32s %12.1f %14.0f%n", file == one ? "gt2023 (126,402 rows)" : "synthetic 10× (1,264,020 rows)",
                    Files.size(file) / 1e6, peak / 1e6));
        }
        out.append("(test JVM -Xmx1g; peaks include garbage not yet collected)\n");
        return out.toString();
    }

    private Path syntheticPopulation(int rows) throws Exception {
        Path file = Files.createTempFile("population-10x", ".csv.gz");
        List<String> countries;
        try (Connection c = Postgres.shared().connectAsOwner(); Statement st = c.createStatement();
             var rs = st.executeQuery("SELECT code FROM stats.country WHERE iso_code IS NOT NULL ORDER BY code")) {
            countries = new java.util.ArrayList<>();
            while (rs.next()) {
                countries.add(rs.getString(1));
            }
        }
        Random random = new Random(42);
        try (BufferedWriter out = new BufferedWriter(new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(file)), StandardCharsets.UTF_8))) {
            out.write("year,coo_name,coo,coo_iso,coa_name,coa,coa_iso,refugees,asylum_seekers,returned_refugees,idps,returned_idps,stateless,ooc,oip,hst\n");
            int n = countries.size();
            for (int i = 0; i < rows; i++) {
                int year = 1951 + i / (n * n);
                String origin = countries.get((i / n) % n);
                String asylum = countries.get(i % n);
                out.write(year + ",\"x\",\"\",\"" + origin + "\",\"y\",\"\",\"" + asylum + "\"," + random.nextInt(100000) + ",0,0,0,0,0,0,," + random.nextInt(100) + "\n");
            }
        }
        return file;
    }

    /** An answer and how long the call took, the token fetched before. */
    private record Timed(HttpResponse<String> response, double seconds) {
    }

    private Timed upload(long release, String dataset, Path file, String token) throws Exception {
        return call("PUT", "/api/releases/" + release + "/datasets/" + dataset, HttpRequest.BodyPublishers.ofFile(file), token, "application/gzip");
    }

    private Timed call(String method, String path, HttpRequest.BodyPublisher body, String token, String contentType) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/$", "") + path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", contentType)
                .method(method, body).build();
        long t0 = System.nanoTime();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        return new Timed(response, seconds(t0));
    }

    /** The same gzip file decompressed straight into a table of its columns, no index, with COPY: the floor. */
    private static double rawCopy(String columns, Path file) throws Exception {
        try (Connection c = Postgres.shared().connectAsOwner(); Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS public.bench_copy");
            st.execute("CREATE TABLE public.bench_copy (" + columns + ")");
            long t0 = System.nanoTime();
            try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16)) {
                c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY public.bench_copy FROM STDIN WITH (FORMAT csv, HEADER true)", in);
            }
            double seconds = seconds(t0);
            st.execute("DROP TABLE public.bench_copy");
            return seconds;
        }
    }

    /**
     * Where the database's part of our upload goes: the rows our loader staged for {@code release},
     * loaded again with COPY into an unindexed table like theirs, then sealed as an upload is; and the
     * same rows loaded as v1 did, into a table whose indexes are maintained row by row. Seconds of each.
     */
    private static double[] ourStages(Dataset dataset, long release) throws Exception {
        try (Connection c = Postgres.shared().connectAsOwner(); Statement st = c.createStatement()) {
            java.io.ByteArrayOutputStream rows = new java.io.ByteArrayOutputStream();
            c.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY " + Publications.stagedTable(c, dataset, release) + " TO STDOUT", rows);
            String scratch = Publications.stagedTable(c, dataset, SCRATCH_RELEASE);
            st.execute("DROP TABLE IF EXISTS " + scratch);
            st.execute("CREATE TABLE " + scratch + " (LIKE " + dataset.table() + " INCLUDING DEFAULTS INCLUDING CONSTRAINTS)");
            long t0 = System.nanoTime();
            c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + scratch + " FROM STDIN", new java.io.ByteArrayInputStream(rows.toByteArray()));
            double copy = seconds(t0);
            st.execute("UPDATE " + scratch + " SET release_id = " + SCRATCH_RELEASE);
            st.execute("VACUUM " + scratch);
            long t1 = System.nanoTime();
            st.execute("SELECT ingest.seal_figures('" + dataset.table().substring("stats.".length()) + "', " + SCRATCH_RELEASE + ")");
            double seal = seconds(t1);
            st.execute("DROP TABLE " + scratch);
            st.execute("CREATE TABLE " + scratch + " (LIKE " + dataset.table() + " INCLUDING DEFAULTS INCLUDING CONSTRAINTS)");
            for (String columns : List.of("release_id, year", "origin, year", "asylum, year")) {
                st.execute("CREATE INDEX ON " + scratch + " (" + columns + ")");
            }
            long t2 = System.nanoTime();
            c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + scratch + " FROM STDIN", new java.io.ByteArrayInputStream(rows.toByteArray()));
            st.execute("ANALYZE " + scratch);
            double v1 = seconds(t2);
            st.execute("DROP TABLE " + scratch);
            return new double[]{copy, seal, v1};
        }
    }

    private void warmUp() throws Exception {
        long release = IngestApi.createRelease("analyst", "Warm-up", LocalDate.of(1990, 1, 1), List.of());
        upload(release, "asylum-applications", RepositoryFiles.sampleData("my2023/asylum_applications.csv.gz"), token("analyst"));
        rawCopy(FILES.get(1)[2], RepositoryFiles.sampleData("my2023/asylum_applications.csv.gz"));
        ourStages(Dataset.ASYLUM_APPLICATIONS, release);
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
