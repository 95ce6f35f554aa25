package org.asylumstats.ingest.release;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.time.LocalDate;
import java.util.List;

/** The body of {@code POST /api/releases}. */
@RegisterForReflection
public record NewRelease(
        @NotBlank @Size(max = 300) @Pattern(regexp = NewRelease.NO_CONTROL_CHARACTERS, message = NewRelease.CONTROL_CHARACTERS_MESSAGE) String title,
        @Size(max = 2000) @Pattern(regexp = NewRelease.NO_CONTROL_CHARACTERS, message = NewRelease.CONTROL_CHARACTERS_MESSAGE) String source,
        @NotNull LocalDate publishedOn,
        @Size(max = 200) List<@NotNull Integer> preliminaryYears,
        @Size(max = 200) List<@NotNull @Valid ReferencePeriod> referencePeriods) {

    /** One line of printable text: no NUL (PostgreSQL's text refuses it) nor any other control character. */
    static final String NO_CONTROL_CHARACTERS = "[^\\p{Cntrl}]*";
    static final String CONTROL_CHARACTERS_MESSAGE = "must not contain control characters";
}
