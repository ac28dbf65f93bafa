using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Workbench.Core.Campaigns;

public enum CampaignRunStatus { Running, Succeeded, Failed, Cancelled }

// One run of a campaign. (CampaignId, Occurrence) is unique: whoever inserts the row owns the run, so a due occurrence
// runs once however many schedulers see it. Occurrence is the scheduled instant (a manual run: the minute it was asked
// for). The campaign as it stood at the claim is kept in CampaignJson and the decision moment in AsOf, so a resumed run
// decides exactly as its first part did. ClaimedBy and LeaseUntil: the instance working on it, renewed with every batch;
// a running run whose lease ran out (its process died) is claimed again and continues after Cursor, the last customer
// id whose decisions were written. Missed: the occurrences that fell due while no scheduler ran, folded into this one.
public sealed class StoredCampaignRun
{
    public long Id { get; set; }
    public required string CampaignId { get; set; }
    public DateTime Occurrence { get; set; }
    public bool Manual { get; set; }
    public int CampaignVersion { get; set; }
    public required string CampaignJson { get; set; }
    public DateTime AsOf { get; set; }
    public double HoldoutPercent { get; set; }
    public CampaignRunStatus Status { get; set; }
    public required string ClaimedBy { get; set; }
    public DateTime LeaseUntil { get; set; }
    public string? Cursor { get; set; }
    public long Processed { get; set; }
    public long Targeted { get; set; }
    public long Sent { get; set; }
    public int Missed { get; set; }
    // A triggered campaign's run covers the events that fell due in (WindowStart, Occurrence] and the events of the
    // imports with ids in (ImportsAfter, ImportsThrough] (arrived late, still open); null for scheduled and manual runs.
    public DateTime? WindowStart { get; set; }
    public long? ImportsAfter { get; set; }
    public long? ImportsThrough { get; set; }
    public required string RequestedBy { get; set; }
    public DateTime StartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
    public string? Error { get; set; }
}

// The outbox: one row per targeted customer of a run. Sent rows are the send list for the sending platform (send id
// "{run}-{customer}", the play, variant, channel, a reference to the content and when to send); the others say why
// nothing went out (global holdout, control group, caps, quiet hours, no eligible play, unreachable). A control
// customer's row keeps the play and channel the engine would have sent, so results compare like with like.
public sealed class CampaignSend
{
    public long RunId { get; set; }
    public required string CustomerId { get; set; }
    public required string Arm { get; set; }
    public string? Variant { get; set; }
    public long? SegmentId { get; set; }
    public string? PlayId { get; set; }
    public string? Channel { get; set; }
    public string? ContentRef { get; set; }
    public DateTime? SendAt { get; set; }
    public DateTime DecidedAt { get; set; }
    public bool Sent { get; set; }
    public required string Reason { get; set; }
    public string? Detail { get; set; }
    public double? Score { get; set; }
    public string? LostPlayId { get; set; }
    public string? LostChannel { get; set; }
    public double? LostScore { get; set; }
}

// What became of one send, from the sending platform (the outcomes import and POST /api/outcomes), keyed as its send.
// Times are the platform's; revenue and margin are the conversion's, in the store's currency.
public sealed class CampaignOutcome
{
    public long RunId { get; set; }
    public required string CustomerId { get; set; }
    public DateTime? DeliveredAt { get; set; }
    public DateTime? OpenedAt { get; set; }
    public DateTime? ClickedAt { get; set; }
    public DateTime? ConvertedAt { get; set; }
    public double? Revenue { get; set; }
    public double? Margin { get; set; }
    public DateTime? UnsubscribedAt { get; set; }
    public long ImportId { get; set; }
    public long CreatedImportId { get; set; }
    public long SeenImportId { get; set; }
    public int Revision { get; set; }
}

// Workspace settings by key (the global holdout's percent), each change audited.
public sealed class WorkspaceSetting
{
    public required string Key { get; set; }
    public required string Value { get; set; }
    public DateTime UpdatedAt { get; set; }
    public required string UpdatedBy { get; set; }
}

internal sealed class StoredCampaignRunConfiguration : IEntityTypeConfiguration<StoredCampaignRun>
{
    public void Configure(EntityTypeBuilder<StoredCampaignRun> b)
    {
        b.ToTable("campaign_runs");
        b.HasKey(r => r.Id);
        b.Property(r => r.Status).HasConversion<string>();
        b.HasIndex(r => new { r.CampaignId, r.Occurrence }).IsUnique();
        b.HasIndex(r => new { r.Status, r.LeaseUntil });
        b.HasOne<StoredCampaign>().WithMany().HasForeignKey(r => r.CampaignId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CampaignSendConfiguration : IEntityTypeConfiguration<CampaignSend>
{
    public void Configure(EntityTypeBuilder<CampaignSend> b)
    {
        b.ToTable("campaign_sends");
        b.HasKey(s => new { s.RunId, s.CustomerId });
        b.HasOne<StoredCampaignRun>().WithMany().HasForeignKey(s => s.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CampaignOutcomeConfiguration : IEntityTypeConfiguration<CampaignOutcome>
{
    public void Configure(EntityTypeBuilder<CampaignOutcome> b)
    {
        b.ToTable("campaign_outcomes");
        b.HasKey(o => new { o.RunId, o.CustomerId });
        b.HasOne<StoredCampaignRun>().WithMany().HasForeignKey(o => o.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class WorkspaceSettingConfiguration : IEntityTypeConfiguration<WorkspaceSetting>
{
    public void Configure(EntityTypeBuilder<WorkspaceSetting> b)
    {
        b.ToTable("workspace_settings");
        b.HasKey(s => s.Key);
    }
}
