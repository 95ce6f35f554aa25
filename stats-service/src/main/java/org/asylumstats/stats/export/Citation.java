package org.asylumstats.stats.export;

import org.asylumstats.stats.catalog.Release;

import java.util.List;

/** What an export cites and under which licence UNHCR publishes the figures. */
final class Citation {

    static final String LICENCE = "CC BY 4.0";
    static final String LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/";
    /** The {@code Link} header of every export (RFC 8288). */
    static final String LINK = "<" + LICENCE_URL + ">; rel=\"license\"";
    static final String SOURCE = "UNHCR Refugee Data Finder";

    private Citation() {
    }

    /** "Mid-Year Trends 2023 (published 2023-10-25); Global Trends 2023 (published 2024-06-13). UNHCR Refugee Data Finder, CC BY 4.0" */
    static String of(List<Release> releases) {
        StringBuilder text = new StringBuilder();
        for (Release release : releases) {
            text.append(text.isEmpty() ? "" : "; ").append(release.title()).append(" (published ").append(release.publishedOn()).append(')');
        }
        return text.append(text.isEmpty() ? "" : ". ").append(SOURCE).append(", ").append(LICENCE).toString();
    }

    /**
     * The citation as an HTTP header value: header values are ISO-8859-1 at best, so any other
     * character (or a control character) becomes '?'; the JSON-stat extension has the exact text.
     */
    static String header(List<Release> releases) {
        StringBuilder value = new StringBuilder();
        of(releases).chars().forEach(ch -> value.append(ch >= 0x20 && ch < 0x7f ? (char) ch : '?'));
        return value.toString();
    }
}
