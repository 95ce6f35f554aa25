package org.asylumstats.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds files of this repository from a test JVM, whichever module it runs in. */
public final class RepositoryFiles {

    private RepositoryFiles() {
    }

    public static Path root() {
        String configured = System.getProperty("asylumstats.repo.root");
        Path start = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath();
        for (Path p = start.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("ingest-service")) && Files.exists(p.resolve("mvnw"))) {
                return p;
            }
        }
        throw new IllegalStateException("not inside the asylum-stats repository: " + start);
    }

    public static Path resolve(String relative) {
        return root().resolve(relative);
    }

    /** The schema migrations owned by ingest-service. */
    public static Path migrations() {
        return resolve("ingest-service/src/main/resources/db/migration");
    }

    /** The sample UNHCR data shipped with the project. */
    public static Path sampleData(String relative) {
        return resolve("deploy/sample-data/unhcr").resolve(relative);
    }
}
