//! The tabular form of HSDS (the CSV data package and `tabular.json`): which tables exist,
//! their columns, which columns are numbers, and how rows nest into HSDS objects.

/// The columns of `organizations`, which are also the scalar fields of its HSDS object.
pub const ORGANIZATIONS: &[&str] = &[
    "id",
    "name",
    "alternate_name",
    "description",
    "email",
    "website",
    "tax_status",
    "tax_id",
    "year_incorporated",
    "legal_status",
    "logo",
    "uri",
    "parent_organization_id",
];

/// The columns of `services`, which are also the scalar fields of its HSDS object.
pub const SERVICES: &[&str] = &[
    "id",
    "organization_id",
    "program_id",
    "name",
    "alternate_name",
    "description",
    "url",
    "email",
    "status",
    "interpretation_services",
    "application_process",
    "fees_description",
    "wait_time",
    "fees",
    "accreditations",
    "eligibility_description",
    "minimum_age",
    "maximum_age",
    "assured_date",
    "assurer_email",
    "licenses",
    "alert",
    "last_modified",
];

/// The columns of `locations`, which are also the scalar fields of its HSDS object.
pub const LOCATIONS: &[&str] = &[
    "id",
    "location_type",
    "url",
    "organization_id",
    "name",
    "alternate_name",
    "description",
    "transportation",
    "latitude",
    "longitude",
    "external_identifier",
    "external_identifier_type",
];

/// The columns of `service_at_location`, which are also the scalar fields of its HSDS object.
pub const SERVICE_AT_LOCATION: &[&str] = &["id", "service_id", "location_id", "description"];

/// The columns of `programs`, which are also the scalar fields of its HSDS object.
pub const PROGRAMS: &[&str] = &[
    "id",
    "organization_id",
    "name",
    "alternate_name",
    "description",
];

/// Tables of the HSDS 3.0 data package with their columns, in dependency order.
pub const TABLES: &[(&str, &[&str])] = &[
    ("organizations", ORGANIZATIONS),
    ("programs", PROGRAMS),
    (
        "taxonomies",
        &["id", "name", "description", "uri", "version"],
    ),
    (
        "taxonomy_terms",
        &[
            "id",
            "code",
            "name",
            "description",
            "parent_id",
            "taxonomy",
            "language",
            "taxonomy_id",
            "term_uri",
        ],
    ),
    ("services", SERVICES),
    ("locations", LOCATIONS),
    ("service_at_location", SERVICE_AT_LOCATION),
    (
        "contacts",
        &[
            "id",
            "organization_id",
            "service_id",
            "service_at_location_id",
            "location_id",
            "name",
            "title",
            "department",
            "email",
        ],
    ),
    (
        "phones",
        &[
            "id",
            "location_id",
            "service_id",
            "organization_id",
            "contact_id",
            "service_at_location_id",
            "number",
            "extension",
            "type",
            "description",
        ],
    ),
    (
        "languages",
        &[
            "id",
            "service_id",
            "location_id",
            "phone_id",
            "name",
            "code",
            "note",
        ],
    ),
    (
        "addresses",
        &[
            "id",
            "location_id",
            "attention",
            "address_1",
            "address_2",
            "city",
            "region",
            "state_province",
            "postal_code",
            "country",
            "address_type",
        ],
    ),
    (
        "schedules",
        &[
            "id",
            "service_id",
            "location_id",
            "service_at_location_id",
            "valid_from",
            "valid_to",
            "dtstart",
            "timezone",
            "until",
            "count",
            "wkst",
            "freq",
            "interval",
            "byday",
            "byweekno",
            "bymonthday",
            "byyearday",
            "description",
            "opens_at",
            "closes_at",
            "schedule_link",
            "attending_type",
            "notes",
        ],
    ),
    (
        "funding",
        &["id", "organization_id", "service_id", "source"],
    ),
    (
        "service_areas",
        &[
            "id",
            "service_id",
            "name",
            "description",
            "extent",
            "extent_type",
            "uri",
        ],
    ),
    (
        "required_documents",
        &["id", "service_id", "document", "uri"],
    ),
    (
        "accessibility",
        &["id", "location_id", "description", "details", "url"],
    ),
    (
        "cost_options",
        &[
            "id",
            "service_id",
            "valid_from",
            "valid_to",
            "option",
            "currency",
            "amount",
            "amount_description",
        ],
    ),
    (
        "organization_identifiers",
        &[
            "id",
            "organization_id",
            "identifier_scheme",
            "identifier_type",
            "identifier",
        ],
    ),
    (
        "attributes",
        &[
            "id",
            "link_id",
            "taxonomy_term_id",
            "link_type",
            "link_entity",
            "value",
        ],
    ),
    (
        "metadata",
        &[
            "id",
            "resource_id",
            "resource_type",
            "last_action_date",
            "last_action_type",
            "field_name",
            "previous_value",
            "replacement_value",
            "updated_by",
        ],
    ),
    (
        "meta_table_descriptions",
        &["id", "name", "language", "character_set"],
    ),
];

/// Columns whose values are numbers in HSDS JSON.
pub const NUMBERS: &[(&str, &str)] = &[
    ("organizations", "year_incorporated"),
    ("services", "minimum_age"),
    ("services", "maximum_age"),
    ("locations", "latitude"),
    ("locations", "longitude"),
    ("phones", "extension"),
    ("schedules", "timezone"),
    ("schedules", "count"),
    ("schedules", "interval"),
    ("cost_options", "amount"),
];

/// Foreign keys the data package declares: (table, column, referenced table).
pub const FOREIGN_KEYS: &[(&str, &str, &str)] = &[
    ("programs", "organization_id", "organizations"),
    ("services", "organization_id", "organizations"),
    ("services", "program_id", "programs"),
    ("attributes", "taxonomy_term_id", "taxonomy_terms"),
    ("service_at_location", "service_id", "services"),
    ("service_at_location", "location_id", "locations"),
    ("locations", "organization_id", "organizations"),
    ("phones", "contact_id", "contacts"),
    ("phones", "location_id", "locations"),
    ("phones", "organization_id", "organizations"),
    ("phones", "service_id", "services"),
    ("phones", "service_at_location_id", "service_at_location"),
    ("contacts", "location_id", "locations"),
    ("contacts", "organization_id", "organizations"),
    ("contacts", "service_id", "services"),
    ("contacts", "service_at_location_id", "service_at_location"),
    ("addresses", "location_id", "locations"),
    ("schedules", "location_id", "locations"),
    ("schedules", "service_id", "services"),
    ("schedules", "service_at_location_id", "service_at_location"),
    ("funding", "organization_id", "organizations"),
    ("funding", "service_id", "services"),
    ("service_areas", "service_id", "services"),
    ("required_documents", "service_id", "services"),
    ("languages", "location_id", "locations"),
    ("languages", "phone_id", "phones"),
    ("languages", "service_id", "services"),
    ("accessibility", "location_id", "locations"),
    ("taxonomy_terms", "taxonomy_id", "taxonomies"),
    ("cost_options", "service_id", "services"),
    (
        "organization_identifiers",
        "organization_id",
        "organizations",
    ),
];

/// A child of a parent table: (key in the parent object, child table).
type Child = (&'static str, &'static str);

/// How rows nest: each parent table, the column by which its child rows name it, and its
/// children as (key in the parent object, child table).
const NESTING: &[(&str, &str, &[Child])] = &[
    (
        "organizations",
        "organization_id",
        &[
            ("funding", "funding"),
            ("contacts", "contacts"),
            ("phones", "phones"),
            ("programs", "programs"),
            ("organization_identifiers", "organization_identifiers"),
        ],
    ),
    (
        "services",
        "service_id",
        &[
            ("phones", "phones"),
            ("schedules", "schedules"),
            ("service_areas", "service_areas"),
            ("service_at_locations", "service_at_location"),
            ("languages", "languages"),
            ("funding", "funding"),
            ("cost_options", "cost_options"),
            ("required_documents", "required_documents"),
            ("contacts", "contacts"),
        ],
    ),
    (
        "locations",
        "location_id",
        &[
            ("languages", "languages"),
            ("addresses", "addresses"),
            ("contacts", "contacts"),
            ("accessibility", "accessibility"),
            ("phones", "phones"),
            ("schedules", "schedules"),
        ],
    ),
    (
        "service_at_location",
        "service_at_location_id",
        &[
            ("contacts", "contacts"),
            ("phones", "phones"),
            ("schedules", "schedules"),
        ],
    ),
    ("contacts", "contact_id", &[("phones", "phones")]),
    ("phones", "phone_id", &[("languages", "languages")]),
];

/// How rows nest: (parent table, key in the parent object, child table, child's link column).
pub fn children() -> impl Iterator<Item = (&'static str, &'static str, &'static str, &'static str)>
{
    NESTING.iter().flat_map(|&(parent, link, kids)| {
        kids.iter()
            .map(move |&(key, child)| (parent, key, child, link))
    })
}

/// Objects nested as a single object: (parent table, key, child table, parent's column).
pub const ONE: &[(&str, &str, &str, &str)] = &[
    ("services", "program", "programs", "program_id"),
    (
        "attributes",
        "taxonomy_term",
        "taxonomy_terms",
        "taxonomy_term_id",
    ),
    (
        "taxonomy_terms",
        "taxonomy_detail",
        "taxonomies",
        "taxonomy_id",
    ),
    (
        "service_at_location",
        "location",
        "locations",
        "location_id",
    ),
    (
        "services",
        "organization",
        "organizations",
        "organization_id",
    ),
];

pub fn columns(table: &str) -> Option<&'static [&'static str]> {
    TABLES.iter().find(|t| t.0 == table).map(|t| t.1)
}

pub fn is_number(table: &str, column: &str) -> bool {
    NUMBERS.contains(&(table, column))
}

/// The file a table is kept in.
pub fn file_of(table: &str) -> String {
    format!("{table}.csv")
}
