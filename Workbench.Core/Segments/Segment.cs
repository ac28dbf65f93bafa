using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Workbench.Core.Segments;

// A saved segment. Version counts saves and is the optimistic-concurrency token: a save that read an older
// version is refused. LastRefreshAt/LastSize come from the latest membership refresh.
public sealed class Segment
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public string Description { get; set; } = "";
    public required string Owner { get; set; }
    public required string RuleJson { get; set; }
    public int Version { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public required string UpdatedBy { get; set; }
    public DateTime? LastRefreshAt { get; set; }
    public long? LastSize { get; set; }
}

// Every save: who, when, the rule as saved and a one-line account of what changed.
public sealed class SegmentVersion
{
    public long Id { get; set; }
    public long SegmentId { get; set; }
    public int Version { get; set; }
    public required string Name { get; set; }
    public string Description { get; set; } = "";
    public required string RuleJson { get; set; }
    public required string SavedBy { get; set; }
    public DateTime SavedAt { get; set; }
    public required string Change { get; set; }
}

// The member set as of the latest refresh.
public sealed class SegmentMember
{
    public long SegmentId { get; set; }
    public required string CustomerId { get; set; }
}

// One row per refresh: size, and who entered and left since the previous refresh.
public sealed class SegmentSizeHistory
{
    public long Id { get; set; }
    public long SegmentId { get; set; }
    public DateTime At { get; set; }
    public long Size { get; set; }
    public long Entries { get; set; }
    public long Exits { get; set; }
}

internal sealed class SegmentConfiguration : IEntityTypeConfiguration<Segment>
{
    public void Configure(EntityTypeBuilder<Segment> b)
    {
        b.ToTable("segments");
        b.Property(s => s.Version).IsConcurrencyToken();
        b.HasIndex(s => s.Name);
    }
}

internal sealed class SegmentVersionConfiguration : IEntityTypeConfiguration<SegmentVersion>
{
    public void Configure(EntityTypeBuilder<SegmentVersion> b)
    {
        b.ToTable("segment_versions");
        b.HasIndex(v => new { v.SegmentId, v.Version }).IsUnique();
        b.HasOne<Segment>().WithMany().HasForeignKey(v => v.SegmentId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SegmentMemberConfiguration : IEntityTypeConfiguration<SegmentMember>
{
    public void Configure(EntityTypeBuilder<SegmentMember> b)
    {
        b.ToTable("segment_members");
        b.HasKey(m => new { m.SegmentId, m.CustomerId });
        b.HasOne<Segment>().WithMany().HasForeignKey(m => m.SegmentId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SegmentSizeHistoryConfiguration : IEntityTypeConfiguration<SegmentSizeHistory>
{
    public void Configure(EntityTypeBuilder<SegmentSizeHistory> b)
    {
        b.ToTable("segment_size_history");
        b.HasIndex(h => new { h.SegmentId, h.At });
        b.HasOne<Segment>().WithMany().HasForeignKey(h => h.SegmentId).OnDelete(DeleteBehavior.Cascade);
    }
}
