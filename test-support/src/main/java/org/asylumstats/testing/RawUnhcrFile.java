package org.asylumstats.testing;


import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * A raw UNHCR CSV file read line by line in the test, independently of the loader, so that
 * expected figures are computed rather than copied.
 */
public record RawUnhcrFile(List<String> header, List<String[]> rows) {

    public static RawUnhcrFile read(String relative) {
        return read(relative, null);
    }

    /**
     * The rows of the given years only (all when {@code years} is null): a whole demographics file
     * as strings takes some 400 MB of a test JVM's heap, one year of it 30 MB.
     */
    public static RawUnhcrFile read(String relative, Set<String> years) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(RepositoryFiles.sampleData(relative))), StandardCharsets.UTF_8))) {
            List<String> header = List.of(split(in.readLine()));
            int year = header.indexOf("year");
            List<String[]> rows = new ArrayList<>();
            for (String line; (line = in.readLine()) != null; ) {
                // UNHCR's files start with the year: other years' rows are skipped before they are split
                if (years != null && year == 0 && !years.contains(line.substring(0, Math.max(0, line.indexOf(','))))) {
                    continue;
                }
                String[] row = split(line);
                if (years == null || years.contains(row[year])) {
                    rows.add(row);
                }
            }
            return new RawUnhcrFile(header, rows);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The rows of the years {@code from} to {@code to}. */
    public static RawUnhcrFile read(String relative, int from, int to) {
        return read(relative, java.util.stream.IntStream.rangeClosed(from, to).mapToObj(Integer::toString).collect(java.util.stream.Collectors.toSet()));
    }

    public static byte[] bytes(String relative) {
        try {
            return Files.readAllBytes(RepositoryFiles.sampleData(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sum of {@code column} over rows matching all {@code filters}; null when none reported. */
    public Long sum(String column, Map<String, String> filters) {
        int c = header.indexOf(column);
        Map<Integer, String> f = new HashMap<>();
        filters.forEach((k, v) -> f.put(header.indexOf(k), v));
        Long total = null;
        for (String[] row : rows) {
            if (f.entrySet().stream().allMatch(e -> row[e.getKey()].equals(e.getValue())) && !row[c].isEmpty() && !row[c].equals("-")) {
                total = (total == null ? 0 : total) + Long.parseLong(row[c]);
            }
        }
        return total;
    }

    /** Sums of {@code column} per value of {@code groupColumn} over the rows matching all {@code filters}; not reported rows left out. */
    public Map<String, Long> sumBy(String groupColumn, String column, Map<String, String> filters) {
        int g = header.indexOf(groupColumn);
        int c = header.indexOf(column);
        Map<Integer, String> f = new HashMap<>();
        filters.forEach((k, v) -> f.put(header.indexOf(k), v));
        Map<String, Long> sums = new HashMap<>();
        for (String[] row : rows) {
            if (f.entrySet().stream().allMatch(e -> row[e.getKey()].equals(e.getValue())) && !row[c].isEmpty() && !row[c].equals("-")) {
                sums.merge(row[g], Long.parseLong(row[c]), Long::sum);
            }
        }
        return sums;
    }

    /** UNHCR's files quote every text field and no number: a plain split is exact for them. */
    private static String[] split(String line) {
        String[] parts = line.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", -1);
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (p.length() >= 2 && p.startsWith("\"") && p.endsWith("\"")) {
                parts[i] = p.substring(1, p.length() - 1).replace("\"\"", "\"");
            }
        }
        return parts;
    }
}
