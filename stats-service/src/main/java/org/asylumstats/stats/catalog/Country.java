package org.asylumstats.stats.catalog;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Immutable;

/** A country of the reference (stats.country). code: ISO3 where it has one, else UNHCR's code. */
@Entity
@Immutable
@Table(name = "country", schema = "stats")
public class Country extends PanacheEntityBase {

    @Id
    public String code;
    @Column(name = "iso_code")
    public String isoCode;
    @Column(name = "unhcr_code")
    public String unhcrCode;
    public String name;
    public String region;
    @Column(name = "unsd_region")
    public String unsdRegion;
    public String subregion;
}
