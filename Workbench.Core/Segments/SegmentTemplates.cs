using Workbench.Core.Segments.Rules;

namespace Workbench.Core.Segments;

public sealed record SegmentTemplate(string Id, string Name, string Definition, string RuleJson)
{
    public RuleGroup Rule => Rules.RuleJson.Parse(RuleJson).Rule!;
}

// Ready-made starting points. Each definition says in one line what the rule tests; thresholds are the squad's
// defaults and are meant to be edited. All but the last rest on customer_features.
public static class SegmentTemplates
{
    public static readonly IReadOnlyList<SegmentTemplate> All =
    [
        T("frequent", "Frequent buyers", "6 or more orders.", Cond("orders", "gte", 6)),
        T("occasional", "Occasional buyers", "2 to 5 orders.", Between("orders", 2, 5)),
        T("one-time", "One-time buyers", "Exactly 1 order.", Cond("orders", "eq", 1)),
        T("new", "New customers", "First purchase within the last 90 days.",
            """{"field":"first_purchase_at","operator":"within_days","days":90}"""),
        T("cross-category", "Cross-category shoppers", "Bought in 4 or more categories.", Cond("category_count", "gte", 4)),
        T("promo-hunters", "Promo hunters", "Half or more of their spend was on promotion (promo share ≥ 0.5).", Cond("promo_share", "gte", 0.5)),
        T("high-value", "High value", "Top monetary quintile (M score = 5).", Cond("m_score", "eq", 5)),
        T("low-value", "Low value", "Bottom two monetary quintiles (M score ≤ 2).", Cond("m_score", "lte", 2)),
        T("lapsing-high-value", "Lapsing high-value", "M score ≥ 4 and last purchase 90 to 270 days ago.",
            Cond("m_score", "gte", 4), Between("recency_days", 90, 270)),
        T("loyal-core", "Loyal core", "Recent and frequent: R score ≥ 4 and F score ≥ 4.", Cond("r_score", "gte", 4), Cond("f_score", "gte", 4)),
        T("email-reachable-members", "Email-reachable members", "Gold or Platinum loyalty tier with email consent granted (profile and consent only).",
            """{"field":"loyalty_tier","operator":"in","values":["Gold","Platinum"]}""",
            """{"field":"consent","operator":"is","channel":"email","value":"granted"}"""),
    ];

    public static SegmentTemplate? Find(string id) => All.FirstOrDefault(t => t.Id == id);

    // Micro-segments: one per region and favourite daypart (regions as found in the store).
    public static IReadOnlyList<SegmentTemplate> MicroSegments(IEnumerable<string> regions) =>
    [
        .. from region in regions
           from daypart in FieldCatalog.Dayparts
           select T($"micro:{region}:{daypart}", $"{region} · {daypart}", $"Region is {region} and favourite daypart is {daypart}.",
               $$"""{"field":"region","operator":"eq","value":{{System.Text.Json.JsonSerializer.Serialize(region)}}}""",
               $$"""{"field":"favourite_daypart","operator":"eq","value":"{{daypart}}"}"""),
    ];

    private static string Cond(string field, string op, double value) =>
        $$"""{"field":"{{field}}","operator":"{{op}}","value":{{value.ToString(System.Globalization.CultureInfo.InvariantCulture)}}}""";

    private static string Between(string field, double lo, double hi) =>
        $$"""{"field":"{{field}}","operator":"between","values":[{{lo}},{{hi}}]}""";

    private static SegmentTemplate T(string id, string name, string definition, params string[] conditions) =>
        new(id, name, definition, $$"""{"op":"and","conditions":[{{string.Join(",", conditions)}}]}""");
}
