package org.asylumstats.stats.catalog;

import java.time.LocalDate;
import java.time.Month;
import java.util.List;

/**
 * A published (or retracted) release as readers see it (the view stats.release).
 *
 * @param referencePeriods the years it does not cover to 31 December, ascending
 */
public record Release(long id, String title, String source, LocalDate publishedOn, List<Integer> preliminaryYears,
                      String state, List<String> datasets, List<ReferencePeriod> referencePeriods) {

    public boolean published() {
        return "PUBLISHED".equals(state);
    }

    /** Where this release's figures for {@code year} end: its reference period, else 31 December. */
    public LocalDate periodEnd(int year) {
        for (ReferencePeriod period : referencePeriods) {
            if (period.year() == year) {
                return period.end();
            }
        }
        return yearEnd(year);
    }

    /** Whether this release covers {@code year} only in part. */
    public boolean partial(int year) {
        return referencePeriods.stream().anyMatch(p -> p.year() == year);
    }

    public static LocalDate yearEnd(int year) {
        return LocalDate.of(year, Month.DECEMBER, 31);
    }
}
