package org.asylumstats.stats.figures;

import org.eclipse.microprofile.graphql.NonNull;

/** An inclusive range of years. */
public record YearRange(@NonNull Integer from, @NonNull Integer to) {

    int length() {
        return to - from + 1;
    }
}
