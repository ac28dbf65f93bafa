using Workbench.Core.Segments.Rules;

namespace Workbench.Core.Playbook;

// Everything the playbook engines know of one customer at one moment: the profile, the features of the latest rebuild,
// consents, saved-segment memberships, and recent behaviour. The store fills it (one customer, one read); tests build it.
// Times are UTC. TimeZone is the customer's IANA zone; without one the store's zone is used (PlaybookClock).
public sealed record CustomerSnapshot(
    string CustomerId,
    CustomerProfile Profile,
    SnapshotFeatures? Features,
    IReadOnlyDictionary<string, ConsentState> Consents,
    IReadOnlySet<long> SegmentIds,
    IReadOnlyList<SnapshotEvent> Events,
    IReadOnlyList<PurchaseLine> Purchases,
    IReadOnlyList<PlayContact> Contacts,
    IReadOnlyList<PointsReading> PointsHistory,
    IReadOnlyDictionary<string, DateTime>? CategoryLastBought = null,
    IReadOnlyDictionary<string, DateTime>? EventLastAt = null)
{
    // The latest purchase time per category: the store's activity table when given, else from the recent lines.
    public IReadOnlyDictionary<string, DateTime> CategoriesLastBought() => CategoryLastBought ??
        Purchases.Where(p => p.Category is not null && p.Quantity > 0)
            .GroupBy(p => p.Category!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Max(p => p.At), StringComparer.Ordinal);

    public IReadOnlyDictionary<string, DateTime> EventsLastAt() => EventLastAt ??
        Events.GroupBy(e => e.Type, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Max(e => e.At), StringComparer.Ordinal);

    // The facts the segment rule evaluator reads, under the field catalog's ids (RuleEvaluator's conventions:
    // numbers as double?, text as string?, dates as DateTime? at midnight).
    public CustomerFacts ToFacts()
    {
        var p = Profile;
        var f = Features;
        var v = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["region"] = p.Region, ["city"] = p.City, ["country"] = p.Country, ["gender"] = p.Gender,
            ["loyalty_tier"] = p.LoyaltyTier, ["loyalty_points"] = (double?)p.LoyaltyPoints,
            ["preferred_channel"] = p.PreferredChannel, ["home_store"] = p.HomeStore,
            ["signup_date"] = p.SignupDate?.ToDateTime(TimeOnly.MinValue), ["birth_date"] = p.BirthDate?.ToDateTime(TimeOnly.MinValue),
            ["orders"] = (double)(f?.Orders ?? 0), ["net_revenue"] = f?.NetRevenue ?? 0,
            ["average_order_value"] = f?.AverageOrderValue, ["first_purchase_at"] = f?.FirstPurchaseAt,
            ["last_purchase_at"] = f?.LastPurchaseAt, ["recency_days"] = (double?)f?.RecencyDays,
            ["tenure_days"] = (double?)f?.TenureDays, ["mean_days_between_orders"] = f?.MeanDaysBetweenOrders,
            ["r_score"] = (double?)f?.RScore, ["f_score"] = (double?)f?.FScore, ["m_score"] = (double?)f?.MScore,
            ["rfm_cell"] = f?.RfmCell, ["top_category_1"] = f?.TopCategory1, ["category_count"] = (double)(f?.CategoryCount ?? 0),
            ["promo_share"] = f?.PromoShare, ["store_share"] = f?.StoreShare, ["web_share"] = f?.WebShare, ["app_share"] = f?.AppShare,
            ["favourite_weekday"] = (double?)f?.FavouriteWeekday, ["favourite_daypart"] = f?.FavouriteDaypart,
            ["returns_rate"] = f?.ReturnsRate, ["email_opens_90d"] = (double)(f?.EmailOpens90d ?? 0),
            ["email_clicks_90d"] = (double)(f?.EmailClicks90d ?? 0), ["probability_alive"] = f?.ProbabilityAlive,
            ["expected_purchases_52w"] = f?.ExpectedPurchases52w, ["predicted_value_12m"] = f?.PredictedValue12m,
        };
        return new CustomerFacts(
            CustomerId, v,
            CategoriesLastBought().Select(kv => (kv.Key, kv.Value)).ToList(),
            EventsLastAt().Select(kv => (kv.Key, kv.Value)).ToList(),
            Consents.ToDictionary(kv => kv.Key, kv => kv.Value.Status, StringComparer.Ordinal));
    }

    // The last order: the lines of the latest order id by time (returns left out).
    public IReadOnlyList<PurchaseLine> LastOrder()
    {
        var last = Purchases.Where(l => l.Quantity > 0).MaxBy(l => l.At);
        return last is null ? [] : Purchases.Where(l => l.OrderId == last.OrderId && l.Quantity > 0).ToList();
    }
}

public sealed record CustomerProfile(
    string? FirstName = null,
    string? LastName = null,
    DateOnly? BirthDate = null,
    string? Gender = null,
    string? City = null,
    string? Region = null,
    string? Country = null,
    string? HomeStore = null,
    DateOnly? SignupDate = null,
    string? LoyaltyTier = null,
    long? LoyaltyPoints = null,
    string? PreferredChannel = null,
    string? TimeZone = null);

// The features row of the latest rebuild (Analytics/CustomerFeatures), as the engines need it.
public sealed record SnapshotFeatures(
    long Orders = 0,
    double NetRevenue = 0,
    double? AverageOrderValue = null,
    DateTime? FirstPurchaseAt = null,
    DateTime? LastPurchaseAt = null,
    int? RecencyDays = null,
    int? TenureDays = null,
    double? MeanDaysBetweenOrders = null,
    DateTime? ExpectedNextPurchaseAt = null,
    int? RScore = null,
    int? FScore = null,
    int? MScore = null,
    string? RfmCell = null,
    string? TopCategory1 = null,
    string? TopCategory2 = null,
    string? TopCategory3 = null,
    int CategoryCount = 0,
    double? PromoShare = null,
    double? StoreShare = null,
    double? WebShare = null,
    double? AppShare = null,
    int? FavouriteWeekday = null,
    string? FavouriteDaypart = null,
    double? ReturnsRate = null,
    int EmailOpens90d = 0,
    int EmailClicks90d = 0,
    double? ProbabilityAlive = null,
    double? ExpectedPurchases52w = null,
    double? PredictedValue12m = null);

public sealed record ConsentState(string Status, DateTime UpdatedAt);

public sealed record SnapshotEvent(DateTime At, string Type, string? Sku = null, string? Category = null);

public sealed record PurchaseLine(string OrderId, DateTime At, string Sku, string? Category, double Quantity, double NetAmount);

// A message of a play that reached the customer (contact history).
public sealed record PlayContact(string PlayId, string? ExclusionGroup, string Channel, DateTime At);

// The loyalty points balance as seen at a time (one reading per import or daily run that saw it).
public sealed record PointsReading(DateTime At, long Points);
