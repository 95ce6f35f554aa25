package org.asylumstats.stats.catalog;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Immutable;

import java.time.Instant;
import java.time.LocalDate;

/** A published (or retracted) release as readers see it (the view stats.release). */
@Entity
@Immutable
@Table(name = "release", schema = "stats")
public class Release extends PanacheEntityBase {

    @Id
    public Long id;
    public String title;
    public String source;
    @Column(name = "published_on")
    public LocalDate publishedOn;
    @Column(name = "preliminary_years")
    public int[] preliminaryYears;
    public String state;
    @Column(name = "publication_seq")
    public Long publicationSeq;
    @Column(name = "published_at")
    public Instant publishedAt;
    public String[] datasets;
}
