package org.asylumstats.ingest.release;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.NotNull;

import java.time.LocalDate;

/**
 * A year a release does not cover to 31 December, and where its figures for that year end: stocks
 * counted on {@code end}, flows over 1 January to {@code end}.
 */
@RegisterForReflection
public record ReferencePeriod(@NotNull Integer year, @NotNull LocalDate end) {
}
