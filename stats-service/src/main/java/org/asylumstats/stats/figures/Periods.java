package org.asylumstats.stats.figures;

import org.asylumstats.stats.catalog.Release;
import org.asylumstats.stats.catalog.Snapshot;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * The reference periods behind one question's figures: for each year,
 * where the release in force for it (now, or as of a release) ends it, and how an answer says that
 * a year is partial. A stock's partial year is its latest count; a flow's covers part of the year.
 */
final class Periods {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM uuuu", Locale.ENGLISH);

    private final Snapshot snapshot;
    private final Measure measure;
    private final Long asOf;

    Periods(Snapshot snapshot, Measure measure, Long asOf) {
        this.snapshot = snapshot;
        this.measure = measure;
        this.asOf = asOf;
    }

    boolean flow() {
        return measure.kind() == MeasureKind.FLOW;
    }

    /** The last day {@code year}'s figures refer to: 31 December unless the release in force says otherwise. */
    LocalDate end(int year) {
        Release release = snapshot.releaseInForce(measure.dataset().pathName(), asOf, year);
        return release == null ? Release.yearEnd(year) : release.periodEnd(year);
    }

    boolean partial(int year) {
        return !end(year).equals(Release.yearEnd(year));
    }

    /** The partial ones among {@code years}, ascending. */
    List<Integer> partialYears(Collection<? extends Number> years) {
        return years.stream().map(Number::intValue).filter(this::partial).sorted().distinct().toList();
    }

    /** What an answer that counts the partial {@code year} says about it. */
    String counted(int year) {
        return describe(measure, year, end(year));
    }

    /** What a comparison that leaves the partial {@code year} out says about it. */
    String leftOut(int year) {
        return year + " left out: it covers 1 January to " + DAY.format(end(year)) + " only, and flows are compared over whole years";
    }

    /** "2023 covers 1 January to 30 June 2023 only" for a flow, "2023 is counted at 30 June 2023, not 31 December" for a stock. */
    static String describe(Measure measure, int year, LocalDate end) {
        return measure.kind() == MeasureKind.FLOW
                ? year + " covers 1 January to " + DAY.format(end) + " only"
                : year + " is counted at " + DAY.format(end) + ", not 31 December";
    }
}
