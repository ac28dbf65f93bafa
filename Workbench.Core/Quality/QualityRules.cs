namespace Workbench.Core.Quality;

// One check: the records that fail it (Offenders, a SELECT whose first column is the record's key and whose
// customer_id column, when present, links to the profile) out of the records it applies to (Population, a COUNT).
// $now is the current UTC time and $today the current date, in the store's text formats; $since is now − 12 months.
public sealed record QualityRule(string Key, string Entity, string Title, string Explanation, string Population, string Offenders, bool InScore = true)
{
    private static readonly System.Text.RegularExpressions.Regex TableNames =
        new(@"\b(customers|products|order_lines|events|consents|customer_stats)\b", System.Text.RegularExpressions.RegexOptions.Compiled);

    // The tables the check reads (customer_stats is derived from order_lines): after an import, only checks reading
    // the imported table are recomputed.
    public IReadOnlySet<string> Tables { get; } = TableNames.Matches(Population + " " + Offenders)
        .Select(m => m.Value == "customer_stats" ? "order_lines" : m.Value).ToHashSet();
}

public static class QualityRules
{
    private const string CustomerColumns = "c.customer_id, c.first_name, c.last_name, c.email, c.phone, c.country";

    public static readonly IReadOnlyList<QualityRule> All =
    [
        new("invalid-email", "customers", "Emails that fail validation",
            "the importer's email rule (one @, a dotted domain, no spaces)",
            "SELECT COUNT(*) FROM customers WHERE trim(coalesce(email, '')) <> ''",
            $"SELECT {CustomerColumns} FROM customers c WHERE trim(coalesce(c.email, '')) <> '' AND wb_valid_email(c.email) = 0"),
        new("invalid-phone", "customers", "Phones that fail validation",
            "digits, spaces, dashes, dots, brackets and a leading +; 7 to 15 digits",
            "SELECT COUNT(*) FROM customers WHERE trim(coalesce(phone, '')) <> ''",
            $"SELECT {CustomerColumns} FROM customers c WHERE trim(coalesce(c.phone, '')) <> '' AND wb_valid_phone(c.phone) = 0"),
        new("duplicate-email", "customers", "Possible duplicates by email",
            "a later customer id whose normalised email (trimmed, lower case) an earlier id already has",
            "SELECT COUNT(*) FROM customers WHERE trim(coalesce(email, '')) <> ''",
            $"""
            SELECT {CustomerColumns}, d.first_id AS duplicate_of FROM (
                SELECT customer_id, MIN(customer_id) OVER (PARTITION BY lower(trim(email))) AS first_id
                FROM customers WHERE trim(coalesce(email, '')) <> '') d
            JOIN customers c ON c.customer_id = d.customer_id WHERE d.customer_id <> d.first_id
            """),
        new("duplicate-phone", "customers", "Possible duplicates by phone",
            "a later customer id whose normalised phone (digits only, national 0 turned into the country code) an earlier id already has",
            "SELECT COUNT(*) FROM customers WHERE trim(coalesce(phone, '')) <> ''",
            $"""
            SELECT {CustomerColumns}, d.first_id AS duplicate_of FROM (
                SELECT customer_id, MIN(customer_id) OVER (PARTITION BY wb_norm_phone(phone, country)) AS first_id
                FROM customers WHERE wb_norm_phone(phone, country) IS NOT NULL) d
            JOIN customers c ON c.customer_id = d.customer_id WHERE d.customer_id <> d.first_id
            """),
        new("future-customer-date", "customers", "Birth or signup dates in the future",
            "birth_date or signup_date after today",
            "SELECT COUNT(*) FROM customers",
            $"SELECT {CustomerColumns}, c.birth_date, c.signup_date FROM customers c WHERE c.birth_date > $today OR c.signup_date > $today"),
        new("no-consent", "customers", "Customers with no consent recorded",
            "no consent row for any channel",
            "SELECT COUNT(*) FROM customers",
            $"SELECT {CustomerColumns} FROM customers c WHERE NOT EXISTS (SELECT 1 FROM consents k WHERE k.customer_id = c.customer_id)"),
        new("inactive-12m", "customers", "Customers with no activity in 12 months",
            "no order line and no event since 12 months ago; a business signal, not a defect, so not in the score",
            "SELECT COUNT(*) FROM customers",
            $"""
            SELECT {CustomerColumns}, s.last_purchase_at FROM customers c LEFT JOIN customer_stats s ON s.customer_id = c.customer_id
            WHERE (s.last_purchase_at IS NULL OR s.last_purchase_at < $since)
              AND NOT EXISTS (SELECT 1 FROM order_lines l WHERE l.customer_id = c.customer_id AND l.ordered_at >= $since)
              AND NOT EXISTS (SELECT 1 FROM events e WHERE e.customer_id = c.customer_id AND e.occurred_at >= $since)
            """, InScore: false),
        new("negative-product-price", "products", "Negative prices or costs",
            "price < 0 or unit_cost < 0",
            "SELECT COUNT(*) FROM products",
            "SELECT p.sku, p.name, p.price, p.unit_cost FROM products p WHERE p.price < 0 OR p.unit_cost < 0"),
        new("negative-line-price", "order_lines", "Order lines with a negative unit price",
            "unit_price < 0",
            "SELECT COUNT(*) FROM order_lines",
            "SELECT l.order_id || '/' || l.line_no AS line, l.customer_id, l.sku, l.ordered_at, l.quantity, l.unit_price FROM order_lines l WHERE l.unit_price < 0"),
        new("future-order-date", "order_lines", "Order lines dated in the future",
            "ordered_at after now",
            "SELECT COUNT(*) FROM order_lines",
            "SELECT l.order_id || '/' || l.line_no AS line, l.customer_id, l.sku, l.ordered_at FROM order_lines l WHERE l.ordered_at > $now"),
        new("orphan-line-customer", "order_lines", "Order lines whose customer is missing",
            "customer_id not in customers",
            "SELECT COUNT(*) FROM order_lines",
            "SELECT l.order_id || '/' || l.line_no AS line, l.customer_id AS missing_customer_id, l.sku, l.ordered_at FROM order_lines l " +
            "WHERE l.customer_id IN (SELECT d.customer_id FROM (SELECT DISTINCT customer_id FROM order_lines) d " +
            "WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.customer_id = d.customer_id))"),
        new("orphan-line-sku", "order_lines", "Order lines whose sku is missing",
            "sku not in products",
            "SELECT COUNT(*) FROM order_lines",
            "SELECT l.order_id || '/' || l.line_no AS line, l.customer_id, l.sku AS missing_sku, l.ordered_at FROM order_lines l WHERE NOT EXISTS (SELECT 1 FROM products p WHERE p.sku = l.sku)"),
        new("future-event-date", "events", "Events dated in the future",
            "occurred_at after now",
            "SELECT COUNT(*) FROM events",
            "SELECT e.event_key, e.customer_id, e.type, e.occurred_at FROM events e WHERE e.occurred_at > $now"),
        new("orphan-event-customer", "events", "Events whose customer is missing",
            "customer_id not in customers",
            "SELECT COUNT(*) FROM events",
            "SELECT e.event_key, e.customer_id AS missing_customer_id, e.type, e.occurred_at FROM events e " +
            "WHERE e.customer_id IN (SELECT d.customer_id FROM (SELECT DISTINCT customer_id FROM events) d " +
            "WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.customer_id = d.customer_id))"),
        new("future-consent-date", "consents", "Consents dated in the future",
            "updated_at after now",
            "SELECT COUNT(*) FROM consents",
            "SELECT k.customer_id || '/' || k.channel AS consent, k.customer_id, k.status, k.updated_at FROM consents k WHERE k.updated_at > $now"),
        new("orphan-consent-customer", "consents", "Consents whose customer is missing",
            "customer_id not in customers",
            "SELECT COUNT(*) FROM consents",
            "SELECT k.customer_id || '/' || k.channel AS consent, k.customer_id AS missing_customer_id, k.status, k.updated_at FROM consents k WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.customer_id = k.customer_id)"),
    ];

    // Fields whose completeness is measured, per entity (the key columns are always filled).
    public static readonly IReadOnlyList<(string Entity, string[] Fields)> CompletenessFields =
    [
        ("customers", ["first_name", "last_name", "email", "phone", "birth_date", "gender", "city", "region", "postal_code",
            "country", "home_store", "signup_date", "loyalty_tier", "loyalty_points", "preferred_channel", "time_zone"]),
        ("products", ["subcategory", "brand", "unit_cost"]),
        ("order_lines", ["channel", "store_id"]),
        ("events", ["event_id", "sku", "category", "channel"]),
        ("consents", ["source"]),
    ];

    public const string ScoreDefinition =
        "Score = the average, over the checks marked 'in score', of the share of records that pass the check " +
        "(100 × (1 − failing ÷ checked)), rounded down to one decimal so that 100 means nothing failed; a check with nothing to check " +
        "counts as 100. Completeness and inactivity are shown but not scored.";

    // A check, or "missing.<entity>.<field>" for the rows where a completeness field is empty (only the listed fields).
    public static QualityRule? Find(string key)
    {
        if (All.FirstOrDefault(r => r.Key == key) is { } rule) return rule;
        var parts = key.Split('.');
        if (parts.Length != 3 || parts[0] != "missing") return null;
        var (entity, field) = (parts[1], parts[2]);
        if (!CompletenessFields.Any(e => e.Entity == entity && e.Fields.Contains(field))) return null;
        return new QualityRule(key, entity, $"{entity}: {field} not provided", $"{field} is empty or blank",
            $"SELECT COUNT(*) FROM {entity}",
            $"SELECT {RecordColumns[entity]} FROM {entity} WHERE trim(coalesce({field}, '')) = ''", InScore: false);
    }

    private static readonly Dictionary<string, string> RecordColumns = new()
    {
        ["customers"] = "customer_id, first_name, last_name, email, phone",
        ["products"] = "sku, name, category",
        ["order_lines"] = "order_id || '/' || line_no AS line, customer_id, sku, ordered_at, channel, store_id",
        ["events"] = "event_key, customer_id, type, occurred_at, sku, category, channel",
        ["consents"] = "customer_id || '/' || channel AS consent, customer_id, status, updated_at, source",
    };

    public static double Score(IEnumerable<QualityCheck> checks)
    {
        var scored = checks.Where(c => c.InScore).ToList();
        if (scored.Count == 0) return 100;
        return scored.Average(c => c.Population > 0 ? 100.0 * (1 - Math.Min(1, (double)c.Offenders / c.Population)) : 100.0);
    }
}

public sealed record QualityCheck(string Key, string Entity, string Title, string Explanation, long Offenders, long Population, bool InScore);

public sealed record FieldCompleteness(string Field, long Filled, double Percent);

public sealed record EntityQuality(string Entity, long Rows, IReadOnlyList<FieldCompleteness> Fields);

public sealed record QualityReport(DateTime TakenAt, double Score, string ScoreDefinition, IReadOnlyList<EntityQuality> Entities,
    IReadOnlyList<QualityCheck> Checks, IReadOnlyList<RejectedAtImport> RejectedAtImport);

// Rows the importer refused (orphan lines, bad values…): they never reached the store, so the checks cannot see them.
public sealed record RejectedAtImport(long ImportRunId, string Kind, string FileName, DateTime StartedAt, long Rejected, bool HasRejectedRows);

public sealed record QualityTrendPoint(long SnapshotId, long? ImportRunId, DateTime TakenAt, double Score, IReadOnlyDictionary<string, long> Offenders);

public sealed record QualityRecords(IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string?>> Rows, long Total);
