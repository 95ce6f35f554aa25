package org.asylumstats.ingest.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the ingest service ({@code asylumstats.ingest.*}). */
@ConfigMapping(prefix = "asylumstats.ingest")
public interface IngestConfig {

    /** Largest dataset file accepted, compressed or not (decompressed files may be 20× that). */
    @WithDefault("512M")
    MemorySize maxUploadBytes();
}
