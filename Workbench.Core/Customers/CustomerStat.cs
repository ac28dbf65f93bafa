using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Workbench.Core.Customers;

// Per-customer summary of the order lines, for the list's columns and sorts. Rebuilt set-based after every
// transactions import (CustomerStatsBuilder), never written row by row.
public sealed class CustomerStat
{
    public required string CustomerId { get; set; }
    public long Orders { get; set; }
    public double Units { get; set; }
    public double GrossRevenue { get; set; }
    public double Returns { get; set; }
    public double NetRevenue { get; set; }
    public DateTime? FirstPurchaseAt { get; set; }
    public DateTime? LastPurchaseAt { get; set; }
}

internal sealed class CustomerStatConfiguration : IEntityTypeConfiguration<CustomerStat>
{
    public void Configure(EntityTypeBuilder<CustomerStat> b)
    {
        b.ToTable("customer_stats");
        b.HasKey(s => s.CustomerId);
        b.HasIndex(s => s.NetRevenue);
        b.HasIndex(s => s.LastPurchaseAt);
        b.HasIndex(s => s.Orders);
    }
}
