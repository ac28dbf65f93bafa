using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Workbench.Core.Customers;

public sealed class Product
{
    public required string Sku { get; set; }
    public required string Name { get; set; }
    public required string Category { get; set; }
    public string? Subcategory { get; set; }
    public string? Brand { get; set; }
    public double Price { get; set; }
    public double? UnitCost { get; set; }

    public long ImportId { get; set; }
    public long CreatedImportId { get; set; }
    public int Revision { get; set; }
    public long SeenImportId { get; set; }
}

internal sealed class ProductConfiguration : IEntityTypeConfiguration<Product>
{
    public void Configure(EntityTypeBuilder<Product> b)
    {
        b.ToTable("products");
        b.HasKey(p => p.Sku);
    }
}
