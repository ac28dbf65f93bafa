using System.Text.Json;
using Workbench.Core.Decisioning;

namespace Workbench.Core.Campaigns;

// Draft → scheduled (its runs come due) ⇄ paused → finished (no more runs). A one-off campaign finishes after its run.
public enum CampaignStatus { Draft, Scheduled, Paused, Finished }

// Pilot: the first runs, small and closely watched; scaled: rolled out once the pilot's results say so.
public enum CampaignStage { Pilot, Scaled }

// Triggered: no schedule; the scheduler evaluates, every tick, the customers whose events of the campaign's event-triggered
// plays fell due (the play's delay passed) or arrived since the last tick.
public enum ScheduleKind { OneOff, Recurring, Triggered }

// One-off: At is the run's instant (UTC). Recurring: a five-field cron expression read in TimeZone (IANA), through Cronos.
// CustomerLocalTime: each customer is sent at the run's clock time in their own zone rather than the campaign's.
public sealed record CampaignSchedule(ScheduleKind Kind, DateTime? At = null, string? Cron = null, string TimeZone = "UTC", bool CustomerLocalTime = false);

// A variant of the message: its share of the treated customers (shares are weights, normalised over the variants) and,
// for a factorial design, its theme, layout and send time (each optional; they become the analysis's factors).
public sealed record CampaignVariant(string Name, double Share, string? Theme = null, string? Layout = null, string? SendTime = null);

// The plays it may send (the decision engine picks among them per customer), the segments it targets (a customer in any
// of them; none = everyone), the channels it may use (none = each play's own), its schedule, the control group's percent
// (kept out by a stable hash of customer and campaign id, ArmAssignment), the variants and what happens to a message the
// caps or quiet hours stop. Version counts saves and is the optimistic-concurrency token.
public sealed record Campaign(
    string Id,
    string Name,
    string Owner,
    CampaignStatus Status,
    CampaignStage Stage,
    IReadOnlyList<string> PlayIds,
    IReadOnlyList<long> SegmentIds,
    IReadOnlyList<string> Channels,
    CampaignSchedule Schedule,
    double ControlPercent,
    IReadOnlyList<CampaignVariant> Variants,
    CappedHandling Handling = CappedHandling.Substitute,
    string Description = "",
    int Version = 0)
{
    public const double MaxControlPercent = 50;

    public IReadOnlyList<VariantShare> Shares => Variants.Select(v => new VariantShare(v.Name, v.Share)).ToList();

    // "control" or a variant's name, the same for this customer on every run (ArmAssignment's stable hash).
    public string ArmOf(string customerId) => ArmAssignment.Arm(Id, customerId, ControlPercent / 100.0, Shares);
}

public static class CampaignStatusRules
{
    public static IReadOnlyList<CampaignStatus> Next(CampaignStatus from) => from switch
    {
        CampaignStatus.Draft => [CampaignStatus.Scheduled],
        CampaignStatus.Scheduled => [CampaignStatus.Paused, CampaignStatus.Finished],
        CampaignStatus.Paused => [CampaignStatus.Scheduled, CampaignStatus.Finished],
        _ => [],
    };

    public static bool MayMove(CampaignStatus from, CampaignStatus to) => from == to || Next(from).Contains(to);
}

// Campaigns as JSON with the playbook file's options (camelCase, enums as snake_case strings, nulls left out, unknown
// properties refused so a typo is named).
public static class CampaignJson
{
    public static JsonSerializerOptions Options => Playbook.PlaybookJson.Options;

    public static string Serialize(Campaign campaign) => JsonSerializer.Serialize(campaign, Options);

    public static Campaign Read(string json) => JsonSerializer.Deserialize<Campaign>(json, Options) ?? throw new JsonException("a campaign is null");
}
