using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Workbench.Core.Import;

// One line of the import history.
public sealed class ImportRun
{
    public long Id { get; set; }
    public ImportKind Kind { get; set; }
    public required string FileName { get; set; }
    public required string UserName { get; set; }
    public ImportMode Mode { get; set; }
    public ImportOutcome Outcome { get; set; }
    public DateTime StartedAt { get; set; }
    public long DurationMs { get; set; }
    public long RowsRead { get; set; }
    public long Inserted { get; set; }
    public long Updated { get; set; }
    public long Unchanged { get; set; }
    public long Rejected { get; set; }
    public long Warnings { get; set; }
    public string? Message { get; set; }
    // For transactions: the span of ordered_at in the file, so the home page never scans the lines.
    public DateTime? FirstOrderedAt { get; set; }
    public DateTime? LastOrderedAt { get; set; }
    public string? RejectedRowsFile { get; set; }
    // The process writing it while Running (Jobs.ProcessOwner's format).
    public string? Owner { get; set; }
}

internal sealed class ImportRunConfiguration : IEntityTypeConfiguration<ImportRun>
{
    public void Configure(EntityTypeBuilder<ImportRun> b)
    {
        b.ToTable("import_runs");
        b.HasKey(r => r.Id);
        b.Property(r => r.Kind).HasConversion<string>();
        b.Property(r => r.Mode).HasConversion<string>();
        b.Property(r => r.Outcome).HasConversion<string>();
        b.HasIndex(r => r.StartedAt);
    }
}
