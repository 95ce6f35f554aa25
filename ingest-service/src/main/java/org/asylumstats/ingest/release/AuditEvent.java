package org.asylumstats.ingest.release;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.List;

/** Who did what to a release, when (ingest.audit_event). Kept after a draft is deleted. */
@Entity
@Table(name = "audit_event", schema = "ingest")
public class AuditEvent extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "release_id")
    public long releaseId;
    public String action;
    public String actor;
    public Instant at;
    @JdbcTypeCode(SqlTypes.JSON)
    public String detail;

    public static void record(long releaseId, String action, String actor, String detailJson) {
        AuditEvent event = new AuditEvent();
        event.releaseId = releaseId;
        event.action = action;
        event.actor = actor;
        event.at = Instant.now();
        event.detail = detailJson == null ? "{}" : detailJson;
        event.persist();
    }

    public static List<AuditEvent> of(long releaseId) {
        return list("releaseId = ?1 order by id", releaseId);
    }
}
