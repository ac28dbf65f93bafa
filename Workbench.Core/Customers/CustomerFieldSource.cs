using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Workbench.Core.Customers;

// Per customer and field, the import that last changed the field's value (the import writes it in its own transaction,
// only for values that changed). A field without a row has kept the value of the customer's first import.
public sealed class CustomerFieldSource
{
    public required string CustomerId { get; set; }
    public required string Field { get; set; }
    public long ImportRunId { get; set; }
    public DateTime ChangedAt { get; set; }
}

internal sealed class CustomerFieldSourceConfiguration : IEntityTypeConfiguration<CustomerFieldSource>
{
    public void Configure(EntityTypeBuilder<CustomerFieldSource> b)
    {
        b.ToTable("customer_field_sources");
        b.HasKey(s => new { s.CustomerId, s.Field });
    }
}
