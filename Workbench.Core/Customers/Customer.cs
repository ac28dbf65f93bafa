using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Workbench.Core.Customers;

public sealed class Customer
{
    public required string CustomerId { get; set; }
    public string? FirstName { get; set; }
    public string? LastName { get; set; }
    public string? Email { get; set; }
    public string? Phone { get; set; }
    public DateOnly? BirthDate { get; set; }
    public string? Gender { get; set; }
    public string? City { get; set; }
    public string? Region { get; set; }
    public string? PostalCode { get; set; }
    public string? Country { get; set; }
    public string? HomeStore { get; set; }
    public DateOnly? SignupDate { get; set; }
    public string? LoyaltyTier { get; set; }
    public long? LoyaltyPoints { get; set; }
    public string? PreferredChannel { get; set; }
    public string? TimeZone { get; set; }

    // Provenance: the import that last changed the row, the one that created it, how often it changed since,
    // and the last import whose file held it.
    public long ImportId { get; set; }
    public long CreatedImportId { get; set; }
    public int Revision { get; set; }
    public long SeenImportId { get; set; }
}

internal sealed class CustomerConfiguration : IEntityTypeConfiguration<Customer>
{
    public void Configure(EntityTypeBuilder<Customer> b)
    {
        b.ToTable("customers");
        b.HasKey(c => c.CustomerId);
        // With the id, so a filtered list in id order stops after one page instead of sorting every match.
        b.HasIndex(c => new { c.Region, c.CustomerId });
        b.HasIndex(c => new { c.LoyaltyTier, c.CustomerId });
    }
}
