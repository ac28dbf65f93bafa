using Workbench.Core.Segments.Clv;

namespace Workbench.Core.Segments.Features;

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
    SpendHistory? Spend);
