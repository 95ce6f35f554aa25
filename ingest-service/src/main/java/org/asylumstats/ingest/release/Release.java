package org.asylumstats.ingest.release;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Instant;
import java.time.LocalDate;

/** A release: the unit of publication (ingest.release). */
@Entity
@Table(name = "release", schema = "ingest")
public class Release extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String title;
    public String source;

    @Column(name = "published_on")
    public LocalDate publishedOn;

    @Column(name = "preliminary_years")
    public int[] preliminaryYears;

    /** The end of each year not covered to 31 December, one per year, ascending. */
    @Column(name = "reference_period_ends")
    public LocalDate[] referencePeriodEnds;

    @Enumerated(EnumType.STRING)
    public ReleaseState state;

    @Column(name = "created_by")
    public String createdBy;
    @Column(name = "created_by_subject")
    public String createdBySubject;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "submitted_at")
    public Instant submittedAt;
    @Column(name = "rejection_reason")
    public String rejectionReason;
    @Column(name = "published_by")
    public String publishedBy;
    @Column(name = "published_at")
    public Instant publishedAt;
    @Column(name = "publication_seq")
    public Long publicationSeq;
    @Column(name = "retracted_by")
    public String retractedBy;
    @Column(name = "retracted_at")
    public Instant retractedAt;

    @Version
    public int version;
}
