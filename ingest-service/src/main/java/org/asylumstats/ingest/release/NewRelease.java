package org.asylumstats.ingest.release;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.time.LocalDate;
import java.util.List;

/** The body of {@code POST /api/releases}. */
@RegisterForReflection
public record NewRelease(
        @NotBlank @Size(max = 300) String title,
        @Size(max = 2000) String source,
        @NotNull LocalDate publishedOn,
        @Size(max = 200) List<@NotNull Integer> preliminaryYears) {
}
