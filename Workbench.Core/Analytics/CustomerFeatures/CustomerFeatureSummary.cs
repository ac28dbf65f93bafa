using Workbench.Core.Analytics.Clv;

namespace Workbench.Core.Analytics.CustomerFeatures;

public sealed record CategoryActivity(string Category, double NetSpend, double Share, long Orders, DateTime LastBoughtAt);

// The features of one customer that come from their own lines; the population-relative ones (RFM scores, CLV) are
// added afterwards by FeatureService.
public sealed record CustomerFeatureSummary(
    string CustomerId,
    long Orders,
    double GrossRevenue,
    double Returns,
    double NetRevenue,
    double? AverageOrderValue,
    DateTime? FirstPurchaseAt,
    DateTime? LastPurchaseAt,
    int? RecencyDays,
    int? TenureDays,
    double? MeanDaysBetweenOrders,
    DateTime? ExpectedNextPurchaseAt,
    IReadOnlyList<CategoryActivity> Categories,
    double? PromoShare,
    double? StoreShare,
    double? WebShare,
    double? AppShare,
    int? FavouriteWeekday,
    string? FavouriteDaypart,
    double? ReturnsRate,
    RepeatHistory? Repeat,
    SpendHistory? Spend,
    FirstPurchase? First);

// What the customer bought on their first purchase day, when they came back (their second purchase day), and the
// category steps from each purchase day to the next (every category of one day to every category of the next).
public sealed record FirstPurchase(
    DateOnly Day,
    IReadOnlyList<string> Categories,
    IReadOnlyList<string> Skus,
    DateOnly? SecondDay,
    IReadOnlyList<CategoryStep> Steps);

public readonly record struct CategoryStep(string From, string To);
