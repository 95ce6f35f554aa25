package org.asylumstats.ingest;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.asylumstats.ingest.core.Dataset;
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
 * Prints ingest figures for the full gt2023 release: our upload+publish path against plain
 * {@code COPY} of the same files in the same run, and the peak heap for a 1× and a 10×
 * population file. Run with {@code ./mvnw -pl ingest-service -am verify -Pbenchmark}; it asserts nothing about time.
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
            new String[]{"asylum-decisions", "asylum_decisions.csv.gz", "year int, coo_name text, coo text, coo_iso text, coa_name text, coa text, coa_iso text, procedure_type text, dec_level text, dec_pc text, dec_recognized bigint, dec_other bigint, dec_rejected bigint, dec_closed bigint, dec_total bigint"});

    @TestHTTPResource("/")
    URL base;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void gt2023AgainstPlainCopy() throws Exception {
        warmUp();
        StringBuilder table = new StringBuilder(String.format("%n%-22s %9s %11s %11s %11s %11s %7s %14s %7s%n",
                "file", "rows", "ours s", "ours rows/s", "COPY s", "COPY rows/s", "ratio", "COPY ours s", "ratio"));
        long release = IngestApi.createRelease("analyst", "Benchmark gt2023", LocalDate.of(2024, 6, 13), List.of());
        double oursTotal = 0;
        double copyTotal = 0;
        double copyOursTotal = 0;
        long rowsTotal = 0;
        for (String[] file : FILES) {
            Path path = RepositoryFiles.sampleData("gt2023/" + file[1]);
            long t0 = System.nanoTime();
            HttpResponse<String> response = upload(release, file[0], path);
            double ours = seconds(t0);
            if (response.statusCode() != 200) {
                throw new IllegalStateException(response.body());
            }
            long rows = Long.parseLong(response.body().replaceAll(".*\"rows\":(\\d+).*", "$1"));
            double copy = plainCopy(file[2], path);
            double copyOurs = copyIntoOurTable(Dataset.fromPath(file[0]).orElseThrow().table(), release);
            oursTotal += ours;
            copyTotal += copy;
            copyOursTotal += copyOurs;
            rowsTotal += rows;
            table.append(String.format("%-22s %9d %11.2f %11.0f %11.2f %11.0f %7.2f %14.2f %7.2f%n", file[0], rows, ours, rows / ours,
                    copy, rows / copy, ours / copy, copyOurs, ours / copyOurs));
        }
        long t1 = System.nanoTime();
        as("analyst").post("/api/releases/" + release + "/submit").then().statusCode(200);
        as("reviewer").post("/api/releases/" + release + "/publish").then().statusCode(200);
        double publish = seconds(t1);
        double endToEnd = oursTotal + publish; // the baselines run between the uploads and are not counted
        table.append(String.format("%-22s %9d %11.2f %11.0f %11.2f %11.0f %7.2f %14.2f %7.2f%n", "all files", rowsTotal, oursTotal, rowsTotal / oursTotal,
                copyTotal, rowsTotal / copyTotal, oursTotal / copyTotal, copyOursTotal, oursTotal / copyOursTotal));
        table.append("COPY: the raw CSV into a table of its columns, no index. COPY ours: the rows our loader stored, dumped and\n"
                + "loaded again with COPY into a table LIKE ours (same columns, same indexes). ours: HTTP upload, spool and\n"
                + "checksum, validation, COPY into the vintage table.\n");
        table.append(String.format("submit + publish: %.3f s; end to end (3 uploads, submit, publish): %.2f s%n", publish, endToEnd));
        table.append(heapTable());
        System.out.println(table);
        Files.writeString(Path.of("target/ingest-benchmark.txt"), table.toString());
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
            HttpResponse<String> response = upload(release, "population", file);
            if (response.statusCode() != 200) {
                throw new IllegalStateException(response.body());
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

    private HttpResponse<String> upload(long release, String dataset, Path file) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/$", "") + "/api/releases/" + release + "/datasets/" + dataset))
                .header("Authorization", "Bearer " + token("analyst"))
                .header("Content-Type", "application/gzip")
                .PUT(HttpRequest.BodyPublishers.ofFile(file)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** The same gzip file decompressed straight into an equivalent table with COPY: the floor. */
    private static double plainCopy(String columns, Path file) throws Exception {
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

    /** The rows our loader stored for a release, loaded again with COPY into a table like ours (indexes included). */
    private static double copyIntoOurTable(String ourTable, long release) throws Exception {
        try (Connection c = Postgres.shared().connectAsOwner(); Statement st = c.createStatement()) {
            java.io.ByteArrayOutputStream rows = new java.io.ByteArrayOutputStream();
            c.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY (SELECT * FROM " + ourTable + " WHERE release_id = " + release + ") TO STDOUT", rows);
            st.execute("DROP TABLE IF EXISTS public.bench_same");
            st.execute("CREATE TABLE public.bench_same (LIKE " + ourTable + " INCLUDING ALL)");
            long t0 = System.nanoTime();
            c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY public.bench_same FROM STDIN", new java.io.ByteArrayInputStream(rows.toByteArray()));
            double seconds = seconds(t0);
            st.execute("DROP TABLE public.bench_same");
            return seconds;
        }
    }

    private void warmUp() throws Exception {
        long release = IngestApi.createRelease("analyst", "Warm-up", LocalDate.of(1990, 1, 1), List.of());
        upload(release, "asylum-applications", RepositoryFiles.sampleData("my2023/asylum_applications.csv.gz"));
        plainCopy(FILES.get(1)[2], RepositoryFiles.sampleData("my2023/asylum_applications.csv.gz"));
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
