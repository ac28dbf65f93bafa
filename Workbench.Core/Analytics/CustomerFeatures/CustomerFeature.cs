using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Workbench.Core.Analytics.CustomerFeatures;

// One row per customer: the features segments and plays are built on. Recomputed for the customers an import touched
// (IncrementalFeatures), rebuilt for everyone daily and on demand (FeatureService); never edited. Money is net revenue as the Customer 360 defines it.
public sealed class CustomerFeature
{
    public required string CustomerId { get; set; }
    public long Orders { get; set; }
    public double NetRevenue { get; set; }
    public double? AverageOrderValue { get; set; }
    public DateTime? FirstPurchaseAt { get; set; }
    public DateTime? LastPurchaseAt { get; set; }
    public int? RecencyDays { get; set; }
    public int? TenureDays { get; set; }
    public double? MeanDaysBetweenOrders { get; set; }
    public DateTime? ExpectedNextPurchaseAt { get; set; }
    public int? RScore { get; set; }
    public int? FScore { get; set; }
    public int? MScore { get; set; }
    public string? RfmCell { get; set; }
    public string? TopCategory1 { get; set; }
    public string? TopCategory2 { get; set; }
    public string? TopCategory3 { get; set; }
    public int CategoryCount { get; set; }
    public double? PromoShare { get; set; }
    public double? StoreShare { get; set; }
    public double? WebShare { get; set; }
    public double? AppShare { get; set; }
    public int? FavouriteWeekday { get; set; }
    public string? FavouriteDaypart { get; set; }
    public double? ReturnsRate { get; set; }
    public int EmailOpens90d { get; set; }
    public int EmailClicks90d { get; set; }
    public double? ProbabilityAlive { get; set; }
    public double? ExpectedPurchases52w { get; set; }
    public double? PredictedValue12m { get; set; }
    public DateTime ComputedAt { get; set; }
}

// Per customer and category: net spend, its share of the customer's spend, and the last day bought.
public sealed class CustomerCategoryActivity
{
    public required string CustomerId { get; set; }
    public required string Category { get; set; }
    public double NetSpend { get; set; }
    public double Share { get; set; }
    public long Orders { get; set; }
    public DateTime LastBoughtAt { get; set; }
}

// Per customer and event type: how many, how many in the last 90 days, and the latest.
public sealed class CustomerEventActivity
{
    public required string CustomerId { get; set; }
    public required string Type { get; set; }
    public long Total { get; set; }
    public long Last90d { get; set; }
    public DateTime LastAt { get; set; }
}

internal sealed class CustomerFeatureConfiguration : IEntityTypeConfiguration<CustomerFeature>
{
    public void Configure(EntityTypeBuilder<CustomerFeature> b)
    {
        b.ToTable("customer_features");
        b.HasKey(f => f.CustomerId);
        // Segment rules test "RFM cell in [...]" often; measured with bench segments (README).
        b.HasIndex(f => f.RfmCell);
        // The KPI overview counts the churned (P(alive) < 0.5) on its first view.
        b.HasIndex(f => f.ProbabilityAlive);
    }
}

internal sealed class CustomerCategoryActivityConfiguration : IEntityTypeConfiguration<CustomerCategoryActivity>
{
    public void Configure(EntityTypeBuilder<CustomerCategoryActivity> b)
    {
        b.ToTable("customer_category_activity");
        b.HasKey(a => new { a.CustomerId, a.Category });
        b.HasIndex(a => new { a.Category, a.LastBoughtAt });
    }
}

internal sealed class CustomerEventActivityConfiguration : IEntityTypeConfiguration<CustomerEventActivity>
{
    public void Configure(EntityTypeBuilder<CustomerEventActivity> b)
    {
        b.ToTable("customer_event_activity");
        b.HasKey(a => new { a.CustomerId, a.Type });
        b.HasIndex(a => new { a.Type, a.LastAt });
    }
}
