using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Workbench.Core.Customers;

// Per customer and channel; the latest updated_at wins.
public sealed class Consent
{
    public required string CustomerId { get; set; }
    public required string Channel { get; set; }
    public required string Status { get; set; }
    public DateTime UpdatedAt { get; set; }
    public string? Source { get; set; }

    public long ImportId { get; set; }
    public long CreatedImportId { get; set; }
    public int Revision { get; set; }
    public long SeenImportId { get; set; }
}

internal sealed class ConsentConfiguration : IEntityTypeConfiguration<Consent>
{
    public void Configure(EntityTypeBuilder<Consent> b)
    {
        b.ToTable("consents");
        b.HasKey(c => new { c.CustomerId, c.Channel });
    }
}
