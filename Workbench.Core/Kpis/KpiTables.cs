using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Workbench.Core.Kpis;

// One customer's purchases in one calendar month (Channel "*" for all channels, else one order-line channel), with the
// Customer 360's definitions (KpiMonthsBuilder). PreviousMonth is the customer's latest earlier month with a purchase in
// the same channel scope; ActiveFrom..ActiveTo are the month ends this month's purchases newly make the customer active
// at. Maintained by the kpi-months job, for the customers an import touched.
public sealed class KpiCustomerMonth
{
    public required string CustomerId { get; set; }
    public required string Channel { get; set; }
    public required string Month { get; set; }
    public required string Region { get; set; }
    public required string Tier { get; set; }
    public double Gross { get; set; }
    public double Returns { get; set; }
    public long Orders { get; set; }
    public long CostedLines { get; set; }
    public double Margin { get; set; }
    public double CostedGross { get; set; }
    public int Bought { get; set; }
    public string? LastDay { get; set; }
    public string? PreviousMonth { get; set; }
    public string? ActiveFrom { get; set; }
    public string? ActiveTo { get; set; }
}

// The sums of KpiCustomerMonth per split (Dimension "all", "region", "tier", "channel"), group, month and previous
// purchase month ("" for a first purchase): small enough that any month or period is a sum over a few hundred rows.
public sealed class KpiCell
{
    public required string Dimension { get; set; }
    public required string GroupName { get; set; }
    public required string Month { get; set; }
    public required string PreviousMonth { get; set; }
    public long Entries { get; set; }
    public long Buyers { get; set; }
    public double Gross { get; set; }
    public double Returns { get; set; }
    public long Orders { get; set; }
    public long CostedLines { get; set; }
    public double Margin { get; set; }
    public double CostedGross { get; set; }
}

// Customers per split, group and range of month ends at which they count as active.
public sealed class KpiActiveCell
{
    public required string Dimension { get; set; }
    public required string GroupName { get; set; }
    public required string FromMonth { get; set; }
    public required string ToMonth { get; set; }
    public long Customers { get; set; }
}

internal sealed class KpiCustomerMonthConfiguration : IEntityTypeConfiguration<KpiCustomerMonth>
{
    public void Configure(EntityTypeBuilder<KpiCustomerMonth> b)
    {
        b.ToTable("kpi_customer_months");
        b.HasKey(m => new { m.CustomerId, m.Channel, m.Month });
    }
}

internal sealed class KpiCellConfiguration : IEntityTypeConfiguration<KpiCell>
{
    public void Configure(EntityTypeBuilder<KpiCell> b)
    {
        b.ToTable("kpi_cells");
        b.HasKey(c => new { c.Dimension, c.GroupName, c.Month, c.PreviousMonth });
    }
}

internal sealed class KpiActiveCellConfiguration : IEntityTypeConfiguration<KpiActiveCell>
{
    public void Configure(EntityTypeBuilder<KpiActiveCell> b)
    {
        b.ToTable("kpi_active_cells");
        b.HasKey(c => new { c.Dimension, c.GroupName, c.FromMonth, c.ToMonth });
    }
}
