using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Workbench.Core.Reports;

public enum KpiPackStatus { Queued, Running, Succeeded, Failed, Cancelled, Interrupted }

// One KPI pack: what was asked (title, period, runs), how its build went, and the two files it made. Period: UTC days,
// PeriodFrom included, PeriodTo excluded (the page shows the last day included). RunIds: the campaign runs, comma
// separated, in the order chosen. WeekKey ("2026-W48", ISO week) is set only on the weekly pack and is unique, so the
// week is claimed once however often the schedule ticks or the app restarts.
public sealed class KpiPack
{
    public long Id { get; set; }
    public required string Title { get; set; }
    public DateTime PeriodFrom { get; set; }
    public DateTime PeriodTo { get; set; }
    public required string RunIds { get; set; }
    public bool Weekly { get; set; }
    public string? WeekKey { get; set; }
    public KpiPackStatus Status { get; set; }
    public string? Progress { get; set; }
    public DateTime CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
    public DateTime? FinishedAt { get; set; }
    public string? Error { get; set; }
    public byte[]? Pptx { get; set; }
    public byte[]? Html { get; set; }
    public long PptxBytes { get; set; }
    public long HtmlBytes { get; set; }
}

internal sealed class KpiPackConfiguration : IEntityTypeConfiguration<KpiPack>
{
    public void Configure(EntityTypeBuilder<KpiPack> b)
    {
        b.ToTable("kpi_packs");
        b.HasKey(p => p.Id);
        b.Property(p => p.Status).HasConversion<string>();
        b.HasIndex(p => p.WeekKey).IsUnique();
        b.HasIndex(p => p.CreatedAt);
    }
}
