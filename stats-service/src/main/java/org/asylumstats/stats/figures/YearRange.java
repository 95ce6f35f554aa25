package org.asylumstats.stats.figures;

import org.eclipse.microprofile.graphql.Input;
import org.eclipse.microprofile.graphql.NonNull;

/** An inclusive range of years. */
@Input("YearRange") // the contract's name, not SmallRye's default "YearRangeInput"
public record YearRange(@NonNull Integer from, @NonNull Integer to) {

    int length() {
        return to - from + 1;
    }
}
