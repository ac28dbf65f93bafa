using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Workbench.Core.Quality;

// The data quality figures recorded after an import, so the page can chart the trend.
public sealed class QualitySnapshot
{
    public long Id { get; set; }
    public long? ImportRunId { get; set; }
    public DateTime TakenAt { get; set; }
    public double Score { get; set; }
    public required string FiguresJson { get; set; }
}

internal sealed class QualitySnapshotConfiguration : IEntityTypeConfiguration<QualitySnapshot>
{
    public void Configure(EntityTypeBuilder<QualitySnapshot> b)
    {
        b.ToTable("quality_snapshots");
        b.HasKey(s => s.Id);
        b.HasIndex(s => s.TakenAt);
    }
}
