using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Workbench.Core.Learning;

// Scale: roll the winner out (the campaign moves from pilot to scaled). Iterate: keep testing, changed or with more
// customers. Stop: end the campaign; what it taught stays in the learnings library.
public enum DecisionKind { Scale, Iterate, Stop }

// One entry of the squad's decisions log, which is the learnings library: the hypothesis, the result, the decision
// with its owner, date and rationale. The run is the experiment decided on (null when the campaign is decided on as a
// whole); campaign name, segments, objectives, themes and channels are copied at the time of the decision so an entry
// reads the same after the campaign changes, and are what the library searches by. Each list is stored as
// ";a;b;" so a whole name matches with one LIKE.
public sealed class SquadDecision
{
    public long Id { get; set; }
    public required string CampaignId { get; set; }
    public required string CampaignName { get; set; }
    public long? RunId { get; set; }
    public DecisionKind Decision { get; set; }
    public required string Owner { get; set; }
    public DateOnly DecidedOn { get; set; }
    public required string Hypothesis { get; set; }
    public required string Result { get; set; }
    public required string Rationale { get; set; }
    public required string Segments { get; set; }
    public required string Objectives { get; set; }
    public required string Themes { get; set; }
    public required string Channels { get; set; }
    public required string RecordedBy { get; set; }
    public DateTime RecordedAt { get; set; }
}

internal sealed class SquadDecisionConfiguration : IEntityTypeConfiguration<SquadDecision>
{
    public void Configure(EntityTypeBuilder<SquadDecision> b)
    {
        b.ToTable("squad_decisions");
        b.HasKey(d => d.Id);
        b.Property(d => d.Decision).HasConversion<string>();
        b.HasIndex(d => d.DecidedOn);
        b.HasIndex(d => new { d.CampaignId, d.DecidedOn });
        b.HasIndex(d => d.RunId);
    }
}
