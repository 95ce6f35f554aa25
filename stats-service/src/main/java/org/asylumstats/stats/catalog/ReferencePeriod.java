package org.asylumstats.stats.catalog;

import org.eclipse.microprofile.graphql.NonNull;

import java.time.LocalDate;

/** A year a release covers only up to {@code end}: its stocks are counted on that day, its flows run from 1 January to it. */
public record ReferencePeriod(int year, @NonNull LocalDate end) {
}
