using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Workbench.Core.Customers;

// A behaviour. EventKey is the natural key: the event_id when the file has one,
// otherwise customer_id, occurred_at, type and sku together.
public sealed class CustomerEvent
{
    public required string EventKey { get; set; }
    public string? EventId { get; set; }
    public required string CustomerId { get; set; }
    public DateTime OccurredAt { get; set; }
    public required string Type { get; set; }
    public string? Sku { get; set; }
    public string? Category { get; set; }
    public string? Channel { get; set; }

    public long ImportId { get; set; }
    public long CreatedImportId { get; set; }
    public int Revision { get; set; }
    public long SeenImportId { get; set; }
}

internal sealed class CustomerEventConfiguration : IEntityTypeConfiguration<CustomerEvent>
{
    public void Configure(EntityTypeBuilder<CustomerEvent> b)
    {
        b.ToTable("events");
        b.HasKey(e => e.EventKey);
        b.HasIndex(e => new { e.CustomerId, e.OccurredAt });
    }
}
