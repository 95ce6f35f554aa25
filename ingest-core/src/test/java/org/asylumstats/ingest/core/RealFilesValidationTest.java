package org.asylumstats.ingest.core;

import org.asylumstats.testing.RepositoryFiles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every real file UNHCR published, and the samples of the other formats, validate clean. */
class RealFilesValidationTest {

    @ParameterizedTest
    @CsvSource({
            "gt2023/population.csv.gz, population",
            "gt2023/asylum_applications.csv.gz, asylum-applications",
            "gt2023/asylum_decisions.csv.gz, asylum-decisions",
            "my2023/population.csv.gz, population",
            "my2023/asylum_applications.csv.gz, asylum-applications",
            "my2023/asylum_decisions.csv.gz, asylum-decisions",
            "gt2023/demographics.csv.gz, demographics",
            "gt2023/solutions.csv.gz, solutions",
            "my2023/demographics.csv.gz, demographics",
            "my2023/solutions.csv.gz, solutions",
            "samples/population-labelled-header.csv, population",
            "samples/asylum-applications-api-page.json, asylum-applications"})
    void realFileIsValid(String file, String dataset) throws IOException {
        ValidationReport report;
        try (InputStream in = Files.newInputStream(RepositoryFiles.sampleData(file))) {
            report = new DatasetLoader(TestReference.COUNTRIES, 1L << 30).validate(in, Dataset.fromPath(dataset).orElseThrow());
        }
        assertTrue(report.valid(), () -> file + ": " + report.errors());
        assertEquals(dataLines(file), report.rows(), file);
    }

    /** Rows counted from the raw bytes: lines after the header, or items in a JSON page. */
    private static long dataLines(String file) throws IOException {
        InputStream raw = Files.newInputStream(RepositoryFiles.sampleData(file));
        try (InputStream in = file.endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
            String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (file.endsWith(".json")) {
                return text.split("\"year\"", -1).length - 1;
            }
            return text.lines().filter(l -> !l.isBlank()).count() - 1;
        }
    }
}
