using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Workbench.Core.Campaigns;

// A campaign as stored: the whole campaign as CampaignJson in Json, and beside it the columns the list filters and sorts
// on. Version counts saves and is the optimistic-concurrency token.
public sealed class StoredCampaign
{
    public required string Id { get; set; }
    public required string Name { get; set; }
    public required string Owner { get; set; }
    public CampaignStatus Status { get; set; }
    public CampaignStage Stage { get; set; }
    public DateTime? NextRunAt { get; set; }
    public int Version { get; set; }
    public DateTime UpdatedAt { get; set; }
    public required string UpdatedBy { get; set; }
    public required string Json { get; set; }
}

// Every saved version of a campaign, newest by Version: who, when, a one-line summary of what changed, and the whole campaign.
public sealed class StoredCampaignVersion
{
    public required string CampaignId { get; set; }
    public int Version { get; set; }
    public DateTime ChangedAt { get; set; }
    public required string ChangedBy { get; set; }
    public required string Summary { get; set; }
    public required string Json { get; set; }
}

internal sealed class StoredCampaignConfiguration : IEntityTypeConfiguration<StoredCampaign>
{
    public void Configure(EntityTypeBuilder<StoredCampaign> b)
    {
        b.ToTable("campaigns");
        b.HasKey(c => c.Id);
        b.Property(c => c.Status).HasConversion<string>();
        b.Property(c => c.Stage).HasConversion<string>();
        b.Property(c => c.Version).IsConcurrencyToken();
        b.HasIndex(c => c.Name);
        b.HasIndex(c => new { c.Status, c.NextRunAt });
    }
}

internal sealed class StoredCampaignVersionConfiguration : IEntityTypeConfiguration<StoredCampaignVersion>
{
    public void Configure(EntityTypeBuilder<StoredCampaignVersion> b)
    {
        b.ToTable("campaign_versions");
        b.HasKey(v => new { v.CampaignId, v.Version });
        b.HasOne<StoredCampaign>().WithMany().HasForeignKey(v => v.CampaignId).OnDelete(DeleteBehavior.Cascade);
    }
}
