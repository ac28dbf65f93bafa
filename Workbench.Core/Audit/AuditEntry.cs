using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Workbench.Core.Audit;

// Who did what to which thing, when; Changes is a JSON array of {field, from, to}.
public sealed class AuditEntry
{
    public const string HourlyReadIndex = "ux_audit_entries_hourly_read";

    public long Id { get; set; }
    public DateTime At { get; set; }
    public required string UserName { get; set; }
    public required string Action { get; set; }
    public required string EntityType { get; set; }
    public string? EntityId { get; set; }
    public string? Changes { get; set; }

    // Reads of personal data are kept per user, customer and hour: Hour is that hour (UTC) and Count the reads in it,
    // At the first of them. Every other entry has Count 1 and no Hour.
    public int Count { get; set; } = 1;
    public DateTime? Hour { get; set; }
}

public static class AuditActions
{
    public const string Create = "create";
    public const string Update = "update";
    public const string Delete = "delete";
    public const string View = "view";
    public const string Export = "export";
    public const string Erase = "erase";
    public const string Import = "import";
}

public static class AuditEntities
{
    public const string Import = "import";
    public const string User = "user";
    public const string ApiToken = "api_token";
    public const string Customer = "customer";
    public const string Segment = "segment";
    public const string Play = "play";
    public const string Playbook = "playbook";
    public const string UseCase = "use_case";
    public const string Campaign = "campaign";
    public const string CampaignRun = "campaign_run";
    public const string Setting = "setting";
    public const string KpiPack = "kpi_pack";
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.ToTable("audit_entries");
        b.HasKey(e => e.Id);
        b.HasIndex(e => e.At);
        b.HasIndex(e => new { e.UserName, e.At });
        b.HasIndex(e => new { e.EntityType, e.At });
        b.Property(e => e.Count).HasDefaultValue(1);
        b.HasIndex(e => new { e.UserName, e.Action, e.EntityType, e.EntityId, e.Hour }).IsUnique().HasFilter("hour IS NOT NULL")
            .HasDatabaseName(AuditEntry.HourlyReadIndex);
    }
}
