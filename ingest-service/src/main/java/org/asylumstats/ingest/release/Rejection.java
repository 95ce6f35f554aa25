package org.asylumstats.ingest.release;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** The body of {@code POST /api/releases/{id}/reject}. */
@RegisterForReflection
public record Rejection(
        // line breaks and tabs allowed in a reason, no other control character
        @NotBlank @Size(max = 4000) @Pattern(regexp = "[^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F]*",
                message = NewRelease.CONTROL_CHARACTERS_MESSAGE) String reason) {
}
