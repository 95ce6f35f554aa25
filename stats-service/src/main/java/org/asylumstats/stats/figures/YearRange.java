package org.asylumstats.stats.figures;

import org.asylumstats.ingest.core.DatasetLoader;
import org.eclipse.microprofile.graphql.Input;
import org.eclipse.microprofile.graphql.NonNull;

/** An inclusive range of years. */
@Input("YearRange") // the contract's name, not SmallRye's default "YearRangeInput"
public record YearRange(@NonNull Integer from, @NonNull Integer to) {

    /** The first year a figure can have (the 1951 Convention), as ingest validates it. */
    public static int firstYear() {
        return DatasetLoader.FIRST_YEAR;
    }

    /** The last year a figure can have: next year, as ingest validates it. */
    public static int lastYear() {
        return DatasetLoader.lastYear();
    }

    /**
     * This range, if it lies within {@link #firstYear()}..{@link #lastYear()} and runs forwards; every
     * loop over a range's years relies on it (an unbounded range once filled the heap).
     */
    public YearRange checked(String argument) {
        int last = lastYear();
        for (int year : new int[]{from, to}) {
            if (year < firstYear() || year > last) {
                throw new YearOutOfRangeException(argument + ": year " + year + " is outside " + firstYear() + ".." + last);
            }
        }
        if (from > to) {
            throw new YearRangeReversedException(argument + ": from " + from + " is after to " + to);
        }
        return this;
    }

    int length() {
        return to - from + 1;
    }
}
