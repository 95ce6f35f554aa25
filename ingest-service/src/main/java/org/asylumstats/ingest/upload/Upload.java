package org.asylumstats.ingest.upload;

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
import java.util.Optional;

/** One upload attempt of a dataset file (ingest.upload); the valid one a release carries is current. */
@Entity
@Table(name = "upload", schema = "ingest")
public class Upload extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "release_id")
    public long releaseId;
    public String dataset;
    public String sha256;
    @Column(name = "size_bytes")
    public long sizeBytes;
    public String format;
    public boolean valid;
    public boolean current;
    @Column(name = "row_count")
    public int rowCount;
    public int[] years;
    @JdbcTypeCode(SqlTypes.JSON)
    public String report;
    @Column(name = "uploaded_by")
    public String uploadedBy;
    @Column(name = "uploaded_by_subject")
    public String uploadedBySubject;
    @Column(name = "uploaded_at")
    public Instant uploadedAt;

    public static List<Upload> currentOf(long releaseId) {
        return list("releaseId = ?1 and current = true order by dataset", releaseId);
    }

    public static Optional<Upload> currentOf(long releaseId, String dataset) {
        return find("releaseId = ?1 and dataset = ?2 and current = true", releaseId, dataset).firstResultOptional();
    }

    /** The latest attempt with these bytes for this release and dataset, if any. */
    public static Optional<Upload> latestWithChecksum(long releaseId, String dataset, String sha256) {
        return find("releaseId = ?1 and dataset = ?2 and sha256 = ?3 order by id desc", releaseId, dataset, sha256).firstResultOptional();
    }

    /** Everyone who uploaded a file to the release, valid or not: {subject, name} pairs. */
    public static List<Object[]> uploadersOf(long releaseId) {
        return getEntityManager()
                .createQuery("select distinct u.uploadedBySubject, u.uploadedBy from Upload u where u.releaseId = ?1", Object[].class)
                .setParameter(1, releaseId).getResultList();
    }
}
