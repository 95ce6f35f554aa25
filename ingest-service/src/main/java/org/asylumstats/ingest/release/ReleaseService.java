package org.asylumstats.ingest.release;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.ws.rs.core.Response;
import org.asylumstats.ingest.core.DatasetLoader;
import org.asylumstats.ingest.core.Publications;
import org.asylumstats.ingest.problem.Problems;
import org.asylumstats.ingest.upload.Upload;
import org.hibernate.Session;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.TreeMap;

/**
 * The release lifecycle and its rules: who may do what in which state. Every change is one
 * transaction with its audit event; publication and retraction also switch the current figures.
 */
@ApplicationScoped
public class ReleaseService {

    @Inject
    EntityManager entityManager;

    @Inject
    com.fasterxml.jackson.databind.ObjectMapper objectMapper;

    public ReleaseView create(NewRelease request, Actor actor) {
        int[] years = request.preliminaryYears() == null ? new int[0]
                : request.preliminaryYears().stream().mapToInt(Integer::intValue).distinct().sorted().toArray();
        int lastYear = DatasetLoader.lastYear();
        for (int year : years) {
            if (year < DatasetLoader.FIRST_YEAR || year > lastYear) {
                throw Problems.invalidRequest("preliminary year " + year + " is outside " + DatasetLoader.FIRST_YEAR + ".." + lastYear);
            }
        }
        LocalDate[] periodEnds = referencePeriodEnds(request.referencePeriods(), lastYear);
        return QuarkusTransaction.requiringNew().call(() -> {
            Release release = new Release();
            release.title = request.title().strip();
            release.source = request.source();
            release.publishedOn = request.publishedOn();
            release.preliminaryYears = years;
            release.referencePeriodEnds = periodEnds;
            release.state = ReleaseState.DRAFT;
            release.createdBy = actor.name();
            release.createdBySubject = actor.subject();
            release.createdAt = Instant.now();
            release.persist();
            AuditEvent.record(release.id, "CREATED", actor.name(), null);
            return ReleaseView.of(release, List.of(), AuditEvent.of(release.id));
        });
    }

    /** The ends of the partial years, ascending: each inside its year, before 31 December, one per year. */
    private static LocalDate[] referencePeriodEnds(List<ReferencePeriod> periods, int lastYear) {
        if (periods == null) {
            return new LocalDate[0];
        }
        TreeMap<Integer, LocalDate> byYear = new TreeMap<>();
        for (ReferencePeriod period : periods) {
            int year = period.year();
            if (year < DatasetLoader.FIRST_YEAR || year > lastYear) {
                throw Problems.invalidRequest("referencePeriods: year " + year + " is outside " + DatasetLoader.FIRST_YEAR + ".." + lastYear);
            }
            if (period.end().getYear() != year) {
                throw Problems.invalidRequest("referencePeriods: the end " + period.end() + " is not inside its year " + year);
            }
            if (period.end().equals(LocalDate.of(year, 12, 31))) {
                throw Problems.invalidRequest("referencePeriods: " + year + " ends on 31 December, which makes it a whole year;"
                        + " list only the years a release does not cover to their end");
            }
            if (byYear.put(year, period.end()) != null) {
                throw Problems.invalidRequest("referencePeriods: year " + year + " is listed twice");
            }
        }
        return byYear.values().toArray(LocalDate[]::new);
    }

    public List<ReleaseView> list() {
        return QuarkusTransaction.requiringNew().call(() -> Release.<Release>list("order by id").stream()
                .map(r -> ReleaseView.of(r, Upload.currentOf(r.id), null)).toList());
    }

    public ReleaseView get(long id) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Release release = find(id, false);
            return ReleaseView.of(release, Upload.currentOf(id), AuditEvent.of(id));
        });
    }

    public ReleaseView submit(long id, Actor actor) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Release release = find(id, true);
            requireOwner(release, actor);
            if (!release.state.editable()) {
                throw Problems.wrongState(id, release.state, "submit");
            }
            if (Upload.currentOf(id).isEmpty()) {
                throw Problems.of(Response.Status.CONFLICT, "no-files", "Nothing to submit",
                        "release " + id + " has no valid dataset file yet");
            }
            release.state = ReleaseState.SUBMITTED;
            release.submittedAt = Instant.now();
            release.rejectionReason = null;
            AuditEvent.record(id, "SUBMITTED", actor.name(), null);
            return ReleaseView.of(release, Upload.currentOf(id), AuditEvent.of(id));
        });
    }

    public ReleaseView publish(long id, Actor actor) {
        return QuarkusTransaction.requiringNew().call(() -> {
            withConnection(Publications::lock);
            Release release = find(id, true);
            if (release.state != ReleaseState.SUBMITTED) {
                throw Problems.wrongState(id, release.state, "publish");
            }
            requireFourEyes(release, actor, "publish");
            release.state = ReleaseState.PUBLISHED;
            release.publishedBy = actor.name();
            release.publishedAt = Instant.now();
            release.publicationSeq = ((Number) entityManager.createNativeQuery("SELECT nextval('ingest.publication_seq')").getSingleResult()).longValue();
            List<Upload> files = Upload.currentOf(id);
            AuditEvent.record(id, "PUBLISHED", actor.name(), checksums(files));
            entityManager.flush();
            withConnection(c -> Publications.publish(c, id));
            return ReleaseView.of(release, files, AuditEvent.of(id));
        });
    }

    public ReleaseView reject(long id, Rejection rejection, Actor actor) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Release release = find(id, true);
            if (release.state != ReleaseState.SUBMITTED) {
                throw Problems.wrongState(id, release.state, "reject");
            }
            requireFourEyes(release, actor, "reject");
            release.state = ReleaseState.REJECTED;
            release.rejectionReason = rejection.reason().strip();
            AuditEvent.record(id, "REJECTED", actor.name(), toJson(java.util.Map.of("reason", release.rejectionReason)));
            return ReleaseView.of(release, Upload.currentOf(id), AuditEvent.of(id));
        });
    }

    public ReleaseView retract(long id, Actor actor) {
        return QuarkusTransaction.requiringNew().call(() -> {
            withConnection(Publications::lock);
            Release release = find(id, true);
            if (release.state != ReleaseState.PUBLISHED) {
                throw Problems.wrongState(id, release.state, "retract");
            }
            release.state = ReleaseState.RETRACTED;
            release.retractedBy = actor.name();
            release.retractedAt = Instant.now();
            AuditEvent.record(id, "RETRACTED", actor.name(), null);
            entityManager.flush();
            withConnection(c -> Publications.refreshCurrentFigures(c, id));
            return ReleaseView.of(release, Upload.currentOf(id), AuditEvent.of(id));
        });
    }

    public void delete(long id, Actor actor) {
        QuarkusTransaction.requiringNew().run(() -> {
            Release release = find(id, true);
            requireOwner(release, actor);
            if (!release.state.editable()) {
                throw Problems.wrongState(id, release.state, "delete");
            }
            withConnection(c -> Publications.deleteFigures(c, id));
            Upload.delete("releaseId", id);
            AuditEvent.record(id, "DELETED", actor.name(), null);
            release.delete();
        });
    }

    /** The release, locked for the rest of the transaction when {@code forUpdate}. */
    public Release find(long id, boolean forUpdate) {
        Release release = forUpdate
                ? entityManager.find(Release.class, id, LockModeType.PESSIMISTIC_WRITE)
                : Release.findById(id);
        if (release == null) {
            throw Problems.notFound(id);
        }
        return release;
    }

    public static void requireOwner(Release release, Actor actor) {
        if (!actor.is(release.createdBySubject, release.createdBy)) {
            throw Problems.notOwner(release.id);
        }
    }

    private static void requireFourEyes(Release release, Actor actor, String action) {
        boolean involved = actor.is(release.createdBySubject, release.createdBy)
                || Upload.uploadersOf(release.id).stream().anyMatch(u -> actor.is((String) u[0], (String) u[1]));
        if (involved) {
            throw Problems.of(Response.Status.FORBIDDEN, "four-eyes", "Four-eyes rule",
                    "the analyst who created or uploaded release " + release.id + " may not " + action + " it");
        }
    }

    /** Runs JDBC work on the connection of the current Hibernate session (same transaction). */
    public void withConnection(SqlWork work) {
        entityManager.unwrap(Session.class).doWork(work::run);
    }

    @FunctionalInterface
    public interface SqlWork {
        void run(java.sql.Connection connection) throws java.sql.SQLException;
    }

    private String checksums(List<Upload> files) {
        return toJson(java.util.Map.of("files", files.stream()
                .map(u -> java.util.Map.of("dataset", u.dataset, "sha256", u.sha256, "rows", u.rowCount)).toList()));
    }

    String toJson(Object value) {
        try {
            return objectMapper.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

}
