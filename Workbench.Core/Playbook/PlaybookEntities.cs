using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Workbench.Core.Playbook;

// A use case as stored. Position keeps the order of the file it came in, so an export lists them as they were written.
public sealed class StoredUseCase
{
    public required string Id { get; set; }
    public required string Name { get; set; }
    public Objective Objective { get; set; }
    public required string JourneyMoment { get; set; }
    public required string Kpi { get; set; }
    public required string Owner { get; set; }
    public UseCaseStatus Status { get; set; }
    public int Position { get; set; }
}

// A play as stored: the whole play as PlaybookJson in Json, and beside it the columns the library filters on.
// Version counts saves and is the optimistic-concurrency token. Channels and segments are in their own tables.
public sealed class StoredPlay
{
    public required string Id { get; set; }
    public required string Name { get; set; }
    public required string UseCaseId { get; set; }
    public required string Owner { get; set; }
    public PlayStatus Status { get; set; }
    public required string TriggerKind { get; set; }
    public int Version { get; set; }
    public DateTime UpdatedAt { get; set; }
    public required string UpdatedBy { get; set; }
    public int Position { get; set; }
    public required string Json { get; set; }
}

public sealed class PlayChannel
{
    public required string PlayId { get; set; }
    public required string Channel { get; set; }
    public int Position { get; set; }
}

public sealed class PlaySegment
{
    public required string PlayId { get; set; }
    public long SegmentId { get; set; }
}

// Every save of a play: who, when, a one-line account of what changed, and the play as saved.
public sealed class PlayVersion
{
    public long Id { get; set; }
    public required string PlayId { get; set; }
    public int Version { get; set; }
    public required string ChangedBy { get; set; }
    public DateTime ChangedAt { get; set; }
    public required string Summary { get; set; }
    public required string Json { get; set; }
}

// A message of a play that reached a customer (campaigns write it). Keyed by customer: a snapshot reads one customer's.
public sealed class ContactHistoryEntry
{
    public required string CustomerId { get; set; }
    public DateTime At { get; set; }
    public required string PlayId { get; set; }
    public required string Channel { get; set; }
    public string? ExclusionGroup { get; set; }
}

// The loyalty points balance as seen at a time.
public sealed class PointsHistoryEntry
{
    public required string CustomerId { get; set; }
    public DateTime At { get; set; }
    public long Points { get; set; }
}

internal sealed class StoredUseCaseConfiguration : IEntityTypeConfiguration<StoredUseCase>
{
    public void Configure(EntityTypeBuilder<StoredUseCase> b)
    {
        b.ToTable("use_cases");
        b.HasKey(u => u.Id);
        b.Property(u => u.Objective).HasConversion<string>();
        b.Property(u => u.Status).HasConversion<string>();
        b.HasIndex(u => u.Objective);
    }
}

internal sealed class StoredPlayConfiguration : IEntityTypeConfiguration<StoredPlay>
{
    public void Configure(EntityTypeBuilder<StoredPlay> b)
    {
        b.ToTable("plays");
        b.HasKey(p => p.Id);
        b.Property(p => p.Status).HasConversion<string>();
        b.Property(p => p.Version).IsConcurrencyToken();
        b.HasIndex(p => p.Name);
        b.HasIndex(p => p.UseCaseId);
        b.HasIndex(p => p.Status);
        b.HasIndex(p => p.TriggerKind);
        b.HasIndex(p => p.Owner);
    }
}

internal sealed class PlayChannelConfiguration : IEntityTypeConfiguration<PlayChannel>
{
    public void Configure(EntityTypeBuilder<PlayChannel> b)
    {
        b.ToTable("play_channels");
        b.HasKey(c => new { c.PlayId, c.Channel });
        b.HasIndex(c => new { c.Channel, c.PlayId });
        b.HasOne<StoredPlay>().WithMany().HasForeignKey(c => c.PlayId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PlaySegmentConfiguration : IEntityTypeConfiguration<PlaySegment>
{
    public void Configure(EntityTypeBuilder<PlaySegment> b)
    {
        b.ToTable("play_segments");
        b.HasKey(s => new { s.PlayId, s.SegmentId });
        b.HasIndex(s => new { s.SegmentId, s.PlayId });
        b.HasOne<StoredPlay>().WithMany().HasForeignKey(s => s.PlayId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PlayVersionConfiguration : IEntityTypeConfiguration<PlayVersion>
{
    public void Configure(EntityTypeBuilder<PlayVersion> b)
    {
        b.ToTable("play_versions");
        b.HasIndex(v => new { v.PlayId, v.Version }).IsUnique();
        b.HasOne<StoredPlay>().WithMany().HasForeignKey(v => v.PlayId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ContactHistoryConfiguration : IEntityTypeConfiguration<ContactHistoryEntry>
{
    public void Configure(EntityTypeBuilder<ContactHistoryEntry> b)
    {
        b.ToTable("contact_history");
        b.HasKey(c => new { c.CustomerId, c.At, c.PlayId, c.Channel });
    }
}

internal sealed class PointsHistoryConfiguration : IEntityTypeConfiguration<PointsHistoryEntry>
{
    public void Configure(EntityTypeBuilder<PointsHistoryEntry> b)
    {
        b.ToTable("points_history");
        b.HasKey(p => new { p.CustomerId, p.At });
    }
}
