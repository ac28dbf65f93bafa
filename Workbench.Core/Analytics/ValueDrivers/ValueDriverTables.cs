using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Workbench.Core.Analytics.ValueDrivers;

// Per category or product of customers' first purchase day: how many started there, how many of those old enough to
// tell (first purchase at least 90 days before the rebuild) came back within 90 days, and what they are worth.
// Written by the feature rebuild as a by-product of its pass over the lines.
public sealed class GatewayEntry
{
    public required string Kind { get; set; }
    public required string Key { get; set; }
    public long FirstBuyers { get; set; }
    public long Eligible90d { get; set; }
    public long Repeat90d { get; set; }
    public double NetRevenue { get; set; }
    public double PredictedValue12m { get; set; }
    public long PredictedCount { get; set; }
}

// From one purchase day to the customer's next: every category of the first day to every category of the next.
public sealed class CategoryTransition
{
    public required string FromCategory { get; set; }
    public required string ToCategory { get; set; }
    public long Steps { get; set; }
    public long Customers { get; set; }
}

internal sealed class GatewayEntryConfiguration : IEntityTypeConfiguration<GatewayEntry>
{
    public void Configure(EntityTypeBuilder<GatewayEntry> b)
    {
        b.ToTable("gateway_entries");
        b.HasKey(g => new { g.Kind, g.Key });
    }
}

internal sealed class CategoryTransitionConfiguration : IEntityTypeConfiguration<CategoryTransition>
{
    public void Configure(EntityTypeBuilder<CategoryTransition> b)
    {
        b.ToTable("category_transitions");
        b.HasKey(t => new { t.FromCategory, t.ToCategory });
    }
}
