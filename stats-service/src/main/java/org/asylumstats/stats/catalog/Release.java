package org.asylumstats.stats.catalog;

import java.time.LocalDate;
import java.util.List;

/** A published (or retracted) release as readers see it (the view stats.release). */
public record Release(long id, String title, String source, LocalDate publishedOn, List<Integer> preliminaryYears,
                      String state, List<String> datasets) {

    public boolean published() {
        return "PUBLISHED".equals(state);
    }
}
