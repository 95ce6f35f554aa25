package org.asylumstats.ingest.release;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** The body of {@code POST /api/releases/{id}/reject}. */
@RegisterForReflection
public record Rejection(@NotBlank @Size(max = 4000) String reason) {
}
