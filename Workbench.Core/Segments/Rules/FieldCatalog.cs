using Workbench.Core.Customers;

namespace Workbench.Core.Segments.Rules;

public enum FieldKind { Number, Text, Choice, Date, DateTime, BoughtCategory, Event, Consent }

public enum FieldSource { Profile, Features, Behaviour }

// One field a condition can test. Column is the SQL column on its source (customers c or customer_features f);
// ZeroWhenMissing: a customer without a features row counts as 0 (orders, revenue, counts), not as empty.
public sealed record RuleField(string Id, string Label, FieldKind Kind, FieldSource Source, string? Column,
    string Group, IReadOnlyList<string>? Choices = null, bool ZeroWhenMissing = false)
{
    public IReadOnlyList<string> Operators => FieldCatalog.OperatorsFor(Kind);
}

public static class FieldCatalog
{
    public static readonly IReadOnlyList<string> ConsentStates = ["granted", "denied", "unknown"];
    public static readonly IReadOnlyList<string> Dayparts = ["morning", "midday", "evening"];

    public static readonly IReadOnlyList<RuleField> All =
    [
        Profile("region", "Region", FieldKind.Choice),
        Profile("city", "City", FieldKind.Text),
        Profile("country", "Country", FieldKind.Choice),
        Profile("gender", "Gender", FieldKind.Choice),
        Profile("loyalty_tier", "Loyalty tier", FieldKind.Choice),
        Profile("loyalty_points", "Loyalty points", FieldKind.Number),
        Profile("preferred_channel", "Preferred channel", FieldKind.Choice, Channels.Contact),
        Profile("home_store", "Home store", FieldKind.Text),
        Profile("signup_date", "Signup date", FieldKind.Date),
        Profile("birth_date", "Birth date", FieldKind.Date),

        Feature("orders", "Orders", FieldKind.Number, zero: true),
        Feature("net_revenue", "Net revenue", FieldKind.Number, zero: true),
        Feature("average_order_value", "Average order value", FieldKind.Number),
        Feature("first_purchase_at", "First purchase", FieldKind.DateTime),
        Feature("last_purchase_at", "Last purchase", FieldKind.DateTime),
        Feature("recency_days", "Days since last purchase", FieldKind.Number),
        Feature("tenure_days", "Days since first purchase", FieldKind.Number),
        Feature("mean_days_between_orders", "Mean days between orders", FieldKind.Number),
        Feature("r_score", "R score (1–5)", FieldKind.Number),
        Feature("f_score", "F score (1–5)", FieldKind.Number),
        Feature("m_score", "M score (1–5)", FieldKind.Number),
        Feature("rfm_cell", "RFM cell", FieldKind.Text),
        Feature("top_category_1", "Top category", FieldKind.Text),
        Feature("category_count", "Categories bought", FieldKind.Number, zero: true),
        Feature("promo_share", "Promo share (0–1)", FieldKind.Number),
        Feature("store_share", "Store share (0–1)", FieldKind.Number),
        Feature("web_share", "Web share (0–1)", FieldKind.Number),
        Feature("app_share", "App share (0–1)", FieldKind.Number),
        Feature("favourite_weekday", "Favourite weekday (0 = Monday)", FieldKind.Number),
        Feature("favourite_daypart", "Favourite daypart", FieldKind.Choice, Dayparts),
        Feature("returns_rate", "Returns rate (0–1)", FieldKind.Number),
        Feature("email_opens_90d", "Email opens, 90 days", FieldKind.Number, zero: true),
        Feature("email_clicks_90d", "Email clicks, 90 days", FieldKind.Number, zero: true),
        Feature("probability_alive", "Probability alive", FieldKind.Number),
        Feature("expected_purchases_52w", "Expected purchases, 52 weeks", FieldKind.Number),
        Feature("predicted_value_12m", "Predicted 12-month value", FieldKind.Number),

        new("bought_category", "Bought category", FieldKind.BoughtCategory, FieldSource.Behaviour, null, "Behaviour"),
        new("event", "Had event", FieldKind.Event, FieldSource.Behaviour, null, "Behaviour"),
        new("consent", "Consent", FieldKind.Consent, FieldSource.Behaviour, null, "Consent", ConsentStates),
    ];

    private static readonly Dictionary<string, RuleField> ById = All.ToDictionary(f => f.Id, StringComparer.Ordinal);

    public static RuleField? Find(string? id) => id is not null && ById.TryGetValue(id, out var f) ? f : null;

    public static IReadOnlyList<string> OperatorsFor(FieldKind kind) => kind switch
    {
        FieldKind.Number => [Operators.Eq, Operators.Ne, Operators.Gt, Operators.Gte, Operators.Lt, Operators.Lte,
            Operators.Between, Operators.IsEmpty, Operators.IsNotEmpty],
        FieldKind.Text or FieldKind.Choice => [Operators.Eq, Operators.Ne, Operators.In, Operators.NotIn,
            Operators.IsEmpty, Operators.IsNotEmpty],
        FieldKind.Date or FieldKind.DateTime => [Operators.Before, Operators.After, Operators.WithinDays,
            Operators.NotWithinDays, Operators.IsEmpty, Operators.IsNotEmpty],
        FieldKind.BoughtCategory or FieldKind.Event => [Operators.Within, Operators.NotWithin],
        FieldKind.Consent => [Operators.Is, Operators.IsNot],
        _ => [],
    };

    public static bool UsesFeatures(RuleGroup g) =>
        g.Conditions.Any(c => Find(c.Field)?.Source == FieldSource.Features) || g.Groups.Any(UsesFeatures);

    private static RuleField Profile(string id, string label, FieldKind kind, IReadOnlyList<string>? choices = null) =>
        new(id, label, kind, FieldSource.Profile, id, "Profile", choices);

    private static RuleField Feature(string id, string label, FieldKind kind, IReadOnlyList<string>? choices = null, bool zero = false) =>
        new(id, label, kind, FieldSource.Features, id, "Features", choices, zero);
}
