package org.asylumstats.ingest.release;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.OptBoolean;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.NotNull;

import java.time.LocalDate;

/**
 * A year a release does not cover to 31 December, and where its figures for that year end: stocks
 * counted on {@code end}, flows over 1 January to {@code end}.
 */
@RegisterForReflection
public record ReferencePeriod(
        @NotNull Integer year,
        // not lenient: Jackson would otherwise read a JSON number as days since 1970 (19538 = 2023-06-30)
        @NotNull @JsonFormat(lenient = OptBoolean.FALSE) LocalDate end) {
}
