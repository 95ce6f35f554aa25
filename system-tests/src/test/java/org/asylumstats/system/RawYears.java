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
 * One year's rows of a raw UNHCR file, read line by line apart from the loader. The demographics
 * file held whole (226,000 rows of 26 fields) does not fit the test JVM's 512 MB; one year does.
 */
final class RawYear {

    private RawYear() {
    }

    static RawUnhcrFile read(String relative, int year) {
        String prefix = year + ",";
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(RepositoryFiles.sampleData(relative))), StandardCharsets.UTF_8))) {
            List<String> header = List.of(split(in.readLine()));
            if (!header.getFirst().equals("year")) {
                throw new IllegalStateException(relative + " does not start with the year column");
            }
            List<String[]> rows = new ArrayList<>();
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith(prefix)) {
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
