package org.asylumstats.testing;

/** Small demographics and solutions files (snake_case and labelled headers, a row of each) that the tests of ingest-core and ingest-service build on. */
public final class DemographicsAndSolutionsSamples {

    public static final String DEMOGRAPHICS = "year,coo_name,coo,coo_iso,coa_name,coa,coa_iso,pop_type,location,loc_type,acc_type,"
            + "f_0_4,f_5_11,f_12_17,f_18_59,f_60,f_other,f_total,m_0_4,m_5_11,m_12_17,m_18_59,m_60,m_other,m_total,total\n";
    /** The labelled Data Finder header of demographics (the labels Dataset lists), for the same columns as {@link #DEMOGRAPHICS}. */
    public static final String DEMOGRAPHICS_LABELLED = "Year,Country of origin,Country of origin (UNHCR),Country of origin (ISO),Country of asylum,"
            + "Country of asylum (UNHCR),Country of asylum (ISO),Population type,Location,Urban or rural,Accommodation type,"
            + "Female 0 - 4,Female 5 - 11,Female 12 - 17,Female 18 - 59,Female 60 or more,Female other,Female total,"
            + "Male 0 - 4,Male 5 - 11,Male 12 - 17,Male 18 - 59,Male 60 or more,Male other,Male total,Total\n";
    /** f bands 1+2+3+4+5+0 = 15, m bands 1+1+1+1+1+0 = 5, total 25 (5 without a breakdown). */
    public static final String DEMO_ROW = "2023,\"Sudan\",\"SUD\",\"SDN\",\"Chad\",\"CHD\",\"TCD\",\"REF\",\"Camp Farchana\",\"R\",\"P\","
            + "1,2,3,4,5,0,15,1,1,1,1,1,0,5,25\n";
    public static final String SOLUTIONS = "year,coo_name,coo,coo_iso,coa_name,coa,coa_iso,returned_refugees,resettlement,naturalisation,returned_idps\n";
    public static final String SOLUTIONS_LABELLED = "Year,Country of origin,Country of origin (UNHCR),Country of origin (ISO),Country of asylum,"
            + "Country of asylum (UNHCR),Country of asylum (ISO),Returned refugees,Resettlement arrivals,Naturalisation,Returned IDPs\n";
    public static final String SOL_ROW = "2023,\"Syrian Arab Rep.\",\"SYR\",\"SYR\",\"Germany\",\"GFR\",\"DEU\",,1200,35,\n";

    private DemographicsAndSolutionsSamples() {
    }
}
