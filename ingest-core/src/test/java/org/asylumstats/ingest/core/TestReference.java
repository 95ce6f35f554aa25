package org.asylumstats.ingest.core;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.asylumstats.testing.RepositoryFiles;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The country reference read from the shipped countries.csv, as the V2 migration seeds it. */
final class TestReference {

    static final CountryReference COUNTRIES = load();

    private TestReference() {
    }

    private static CountryReference load() {
        try (Reader in = Files.newBufferedReader(RepositoryFiles.sampleData("countries.csv"))) {
            List<CountryReference.Country> countries = new ArrayList<>();
            for (CSVRecord r : CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(in)) {
                String iso = r.get("iso_code").isEmpty() ? null : r.get("iso_code");
                countries.add(new CountryReference.Country(iso != null ? iso : r.get("unhcr_code"), iso, r.get("unhcr_code"), countries.size()));
            }
            return new CountryReference(countries, Map.of("UNK", "XXX"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
