using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Workbench.Core.Customers;

// One row of a purchase; a negative quantity is a return. Times are UTC.
public sealed class OrderLine
{
    public required string OrderId { get; set; }
    public int LineNo { get; set; }
    public required string CustomerId { get; set; }
    public DateTime OrderedAt { get; set; }
    public required string Sku { get; set; }
    public double Quantity { get; set; }
    public double UnitPrice { get; set; }
    public double Discount { get; set; }
    public string? Channel { get; set; }
    public string? StoreId { get; set; }

    public long ImportId { get; set; }
    public long CreatedImportId { get; set; }
    public int Revision { get; set; }
    public long SeenImportId { get; set; }
}

internal sealed class OrderLineConfiguration : IEntityTypeConfiguration<OrderLine>
{
    public void Configure(EntityTypeBuilder<OrderLine> b)
    {
        b.ToTable("order_lines");
        b.HasKey(l => new { l.OrderId, l.LineNo });
        // The profile reads one customer's lines; see README "Indexes and import speed" for its cost on bulk imports.
        b.HasIndex(l => l.CustomerId);
    }
}
