package org.asylumstats.system;

import org.asylumstats.testing.RawUnhcrFile;
import org.asylumstats.testing.RepositoryFiles;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The rows of some years of a raw UNHCR file, read line by line apart from the loader. The test JVM
 * has 512 MB and keeps every class's expected figures: whole files (the demographics file alone holds
 * 226,000 rows of 26 fields) do not fit in it together; the years a test asks about do.
 */
final class RawYears {

    private RawYears() {
    }

    static RawUnhcrFile read(String relative, int from, int to) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(RepositoryFiles.sampleData(relative))), StandardCharsets.UTF_8))) {
            List<String> header = List.of(split(in.readLine()));
            if (!header.getFirst().equals("year")) {
                throw new IllegalStateException(relative + " does not start with the year column");
            }
            List<String[]> rows = new ArrayList<>();
            for (String line; (line = in.readLine()) != null; ) {
                int year = Integer.parseInt(line.substring(0, line.indexOf(',')));
                if (year >= from && year <= to) {
                    rows.add(split(line));
                }
            }
            return new RawUnhcrFile(header, rows);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** UNHCR's files quote every text field and no number, and no text holds a quote: a split outside quotes is exact. */
    private static String[] split(String line) {
        String[] parts = line.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", -1);
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (part.length() >= 2 && part.startsWith("\"") && part.endsWith("\"")) {
                parts[i] = part.substring(1, part.length() - 1).replace("\"\"", "\"");
            }
        }
        return parts;
    }
}
