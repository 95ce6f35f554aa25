package org.asylumstats.ingest.upload;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.ws.rs.core.Response;
import org.asylumstats.ingest.config.IngestConfig;
import org.asylumstats.ingest.core.CountryReference;
import org.asylumstats.ingest.core.Dataset;
import org.asylumstats.ingest.core.DatasetLoader;
import org.asylumstats.ingest.core.ValidationReport;
import org.asylumstats.ingest.problem.Problems;
import org.asylumstats.ingest.release.Actor;
import org.asylumstats.ingest.release.AuditEvent;
import org.asylumstats.ingest.release.Release;
import org.asylumstats.ingest.release.ReleaseService;
import org.asylumstats.ingest.release.ReleaseState;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * Uploads of dataset files: spooled to disk while hashed (never held in memory), answered from
 * the previous report when the same bytes come again, else validated and loaded with COPY in one
 * transaction that commits only a valid file.
 */
@ApplicationScoped
public class UploadService {

    /** The outcome: the report, and whether these exact bytes had been uploaded already. */
    public record Outcome(ValidationReport report, String reportJson, boolean repeated) {
    }

    @Inject
    EntityManager entityManager;
    @Inject
    ReleaseService releases;
    @Inject
    IngestConfig config;
    @Inject
    ObjectMapper objectMapper;

    private volatile CountryReference countries;

    public Outcome upload(long releaseId, String datasetName, InputStream body, Actor actor) {
        Dataset dataset = Dataset.fromPath(datasetName).orElseThrow(() -> Problems.of(Response.Status.NOT_FOUND,
                "unknown-dataset", "Unknown dataset", "'" + (datasetName.length() > 40 ? datasetName.substring(0, 40) + "…" : datasetName) + "' is not one of population, asylum-applications, asylum-decisions, demographics, solutions"));
        QuarkusTransaction.requiringNew().run(() -> checkMayUpload(releases.find(releaseId, false), actor));
        Path spooled = null;
        try {
            spooled = Files.createTempFile("upload-", ".bin");
            String sha256 = spool(body, spooled);
            long size = Files.size(spooled);
            Optional<Upload> same = QuarkusTransaction.requiringNew().call(() ->
                    Upload.latestWithChecksum(releaseId, dataset.pathName(), sha256)
                            .filter(u -> u.current || !u.valid));
            if (same.isPresent()) {
                return new Outcome(read(same.get().report), same.get().report, true);
            }
            Path file = spooled;
            Outcome loaded;
            try {
                loaded = QuarkusTransaction.requiringNew().call(() -> load(releaseId, dataset, file, sha256, size, actor));
            } catch (InvalidFile invalid) {
                loaded = invalid.outcome;
            }
            Outcome refused = loaded;
            if (!loaded.report().valid()) {
                QuarkusTransaction.requiringNew().run(() -> {
                    Upload attempt = newUpload(releaseId, dataset, refused.report(), refused.reportJson(), actor);
                    attempt.persist();
                    AuditEvent.record(releaseId, "UPLOAD_REFUSED", actor.name(), toJson(Map.of("dataset", dataset.pathName(),
                            "sha256", sha256, "errors", refused.report().errorCount())));
                });
            }
            return loaded;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (spooled != null) {
                try {
                    Files.deleteIfExists(spooled);
                } catch (IOException ignored) {
                    // the temp folder is cleaned by the platform
                }
            }
        }
    }

    private Outcome load(long releaseId, Dataset dataset, Path file, String sha256, long size, Actor actor) {
        Release release = releases.find(releaseId, true);
        checkMayUpload(release, actor);
        DatasetLoader loader = new DatasetLoader(countries(), config.inputLimits());
        ValidationReport[] result = new ValidationReport[1];
        releases.withConnection(connection -> {
            try (InputStream in = Files.newInputStream(file)) {
                result[0] = loader.load(in, dataset, releaseId, connection);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        ValidationReport report = result[0].withChecksum(sha256, size);
        String json = toJson(report);
        if (!report.valid()) {
            throw new InvalidFile(new Outcome(report, json, false));
        }
        Upload.currentOf(releaseId, dataset.pathName()).ifPresent(previous -> {
            previous.current = false;
            entityManager.flush();
        });
        Upload upload = newUpload(releaseId, dataset, report, json, actor);
        upload.current = true;
        upload.persist();
        if (release.state == ReleaseState.REJECTED) {
            release.state = ReleaseState.DRAFT;
        }
        AuditEvent.record(releaseId, "UPLOADED", actor.name(), toJson(Map.of("dataset", dataset.pathName(), "sha256", sha256,
                "rows", report.rows(), "format", report.format())));
        return new Outcome(report, json, false);
    }

    private static void checkMayUpload(Release release, Actor actor) {
        ReleaseService.requireOwner(release, actor);
        if (!release.state.editable()) {
            throw Problems.wrongState(release.id, release.state, "upload files");
        }
    }

    private Upload newUpload(long releaseId, Dataset dataset, ValidationReport report, String json, Actor actor) {
        Upload upload = new Upload();
        upload.releaseId = releaseId;
        upload.dataset = dataset.pathName();
        upload.sha256 = report.sha256();
        upload.sizeBytes = report.bytes();
        upload.format = report.format();
        upload.valid = report.valid();
        upload.rowCount = (int) report.rows();
        upload.years = report.years().stream().mapToInt(Integer::intValue).toArray();
        upload.report = json;
        upload.uploadedBy = actor.name();
        upload.uploadedBySubject = actor.subject();
        upload.uploadedAt = Instant.now();
        return upload;
    }

    /** Copies the body to {@code target}, answering its SHA-256; refuses past the size limit. */
    private String spool(InputStream body, Path target) throws IOException {
        long limit = config.maxUploadBytes().asLongValue();
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        // the body stays open: what the client still sends after a refusal is drained by finishReading
        InputStream in = new DigestInputStream(body, digest);
        try (OutputStream out = Files.newOutputStream(target)) {
            byte[] buffer = new byte[1 << 16];
            long total = 0;
            for (int n; (n = receive(in, buffer)) >= 0; ) {
                total += n;
                if (total > limit) {
                    throw Problems.of(Response.Status.REQUEST_ENTITY_TOO_LARGE, "file-too-large", "File too large",
                            "the file is larger than the limit of " + limit + " bytes");
                }
                out.write(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** A read of the client's body: its failure is the client's (gone, or too slow), not ours. */
    private int receive(InputStream in, byte[] buffer) {
        try {
            return in.read(buffer);
        } catch (IOException | RuntimeException e) {
            throw Problems.of(Response.Status.REQUEST_TIMEOUT, "upload-incomplete", "Upload incomplete",
                    "the body stopped arriving before its end (a pause too long, more than "
                            + config.maxUploadDuration().toSeconds() + " s in all, or the connection closed)");
        }
    }

    /**
     * Reads and discards what the client still sends of the body (at most the upload limit), so
     * that an answer given before the end of the body (refused early, or too large) reaches a
     * keep-alive peer as a complete exchange instead of a reset. False when more remained.
     */
    public boolean finishReading(InputStream body) {
        byte[] buffer = new byte[1 << 16];
        long read = 0;
        long atMost = config.maxUploadBytes().asLongValue();
        try {
            for (int n; (n = body.read(buffer)) >= 0; ) {
                read += n;
                if (read > atMost) {
                    return false;
                }
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private CountryReference countries() {
        if (countries == null) {
            releases.withConnection(connection -> countries = CountryReference.load(connection));
        }
        return countries;
    }

    private String toJson(Object value) {
        try {
            return objectMapper.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ValidationReport read(String json) {
        try {
            return objectMapper.readValue(json, ValidationReport.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Rolls the load's transaction back (nothing of an invalid file stays) and carries its report out. */
    private static final class InvalidFile extends RuntimeException {
        private final transient Outcome outcome;

        InvalidFile(Outcome outcome) {
            super(null, null, false, false);
            this.outcome = outcome;
        }
    }
}
