package org.asylumstats.ingest.release;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.asylumstats.ingest.upload.Upload;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;

/** A release as the API shows it: state, files with their reports, and its history. */
@RegisterForReflection
public record ReleaseView(
        long id, String title, String source, LocalDate publishedOn, int[] preliminaryYears,
        List<ReferencePeriod> referencePeriods, ReleaseState state,
        String createdBy, Instant createdAt, Instant submittedAt, String rejectionReason,
        String publishedBy, Instant publishedAt, String retractedBy, Instant retractedAt,
        List<FileView> files, List<EventView> history) {

    @RegisterForReflection
    public record FileView(String dataset, String format, String sha256, long sizeBytes, int rows, int[] years,
                           String uploadedBy, Instant uploadedAt, @JsonRawValue String report) {
        static FileView of(Upload u) {
            return new FileView(u.dataset, u.format, u.sha256, u.sizeBytes, u.rowCount, u.years, u.uploadedBy, u.uploadedAt, u.report);
        }
    }

    @RegisterForReflection
    public record EventView(String action, String actor, Instant at, @JsonRawValue String detail) {
    }

    static ReleaseView of(Release r, List<Upload> files, List<AuditEvent> history) {
        return new ReleaseView(r.id, r.title, r.source, r.publishedOn, r.preliminaryYears,
                Arrays.stream(r.referencePeriodEnds).map(end -> new ReferencePeriod(end.getYear(), end)).toList(), r.state,
                r.createdBy, r.createdAt, r.submittedAt, r.rejectionReason, r.publishedBy, r.publishedAt,
                r.retractedBy, r.retractedAt,
                files.stream().map(FileView::of).toList(),
                history == null ? null : history.stream().map(e -> new EventView(e.action, e.actor, e.at, e.detail)).toList());
    }
}
