using System.Globalization;
using Workbench.Core.Decisioning;
using Workbench.Core.Playbook;

namespace Workbench.Core.Campaigns;

// Why a targeted customer got no send, as counted on the run page.
public static class NotSentReasons
{
    public const string Sent = "sent", Holdout = "global_holdout", Control = "control_group", Capped = "capped", QuietHours = "quiet_hours",
        Unreachable = "unreachable", NoEligiblePlay = "no_eligible_play";

    public static string Label(string reason) => reason switch
    {
        Sent => "sent",
        Holdout => "global holdout",
        Control => "control group (held back)",
        Capped => "stopped by a contact cap",
        QuietHours => "stopped by quiet hours",
        Unreachable => "no channel with consent and a valid contact point",
        NoEligiblePlay => "no eligible play",
        _ => reason,
    };
}

// One targeted customer's row of a run (CampaignSend without the run).
public sealed record CampaignDecision(string CustomerId, string Arm, string? Variant, long? SegmentId, string? PlayId, string? Channel, string? ContentRef,
    DateTime? SendAt, bool Sent, string Reason, string? Detail, double? Score, string? LostPlayId, string? LostChannel, double? LostScore);

// What a run decides with: the campaign, its plays (only the campaign's active plays, each on the campaign's channels),
// the engine's settings with the campaign's capped-message handling, the global holdout's share and the moment.
public sealed record CampaignRunPlan(Campaign Campaign, PlaySet Plays, EngineSettings Settings, double HoldoutShare, DateTime AsOf,
    IReadOnlyDictionary<string, int> PlayVersions)
{
    // The campaign's plays that are active, limited to the campaign's channels (none named: each play's own).
    public static IReadOnlyList<Play> PlaysOf(Campaign campaign, IEnumerable<Play> active)
    {
        var byId = active.Where(p => p.Status == PlayStatus.Active).ToDictionary(p => p.Id, StringComparer.Ordinal);
        return campaign.PlayIds.Where(byId.ContainsKey).Select(id => byId[id])
            .Select(p => campaign.Channels.Count == 0 ? p : p with { Channels = p.Channels.Where(campaign.Channels.Contains).ToList() })
            .Where(p => p.Channels.Count > 0).ToList();
    }
}

// A campaign run's decision for one customer, pure. In order: not targeted (in none of the campaign's segments; null,
// no row); in the global holdout (no send, whatever else holds); the arm by the stable hash (ArmAssignment); the decision
// engine over the campaign's plays. A control customer gets no send, and the row keeps what the engine would have sent.
// A treated customer is sent the engine's choice (deferred by the campaign's handling when the caps or quiet hours say
// so) as the arm's variant. With the schedule's CustomerLocalTime the send waits for the first moment at or after the
// run when the customer's own clock shows the run's clock time in the campaign's zone (caps and quiet hours are judged
// at the run).
public static class CampaignDecider
{
    public static CampaignDecision? Decide(CampaignRunPlan plan, SnapshotWithContacts customer, TimeZoneInfo storeZone)
    {
        var campaign = plan.Campaign;
        var snapshot = customer.Snapshot;
        long? segment = null;
        if (campaign.SegmentIds.Count > 0)
        {
            segment = campaign.SegmentIds.Where(snapshot.SegmentIds.Contains).Order().Cast<long?>().FirstOrDefault();
            if (segment is null) return null;
        }
        var id = snapshot.CustomerId;
        if (ArmAssignment.InGlobalHoldout(id, plan.HoldoutShare))
            return new(id, NotSentReasons.Holdout, null, segment, null, null, null, null, false, NotSentReasons.Holdout, null, null, null, null, null);

        var arm = campaign.ArmOf(id);
        var variant = arm == ArmAssignment.ControlArm ? null : arm;
        var prepared = PlaybookCustomer.Prepare(snapshot, plan.AsOf, storeZone);
        var result = DecisionEngine.Decide(prepared, new DecisionContext(plan.AsOf), plan.Plays, plan.Settings, customer.Unreachable, fullTrace: false);
        var decision = result.Decision;
        var lost = decision.LostToCap;
        if (decision.Chosen is not { } chosen)
        {
            var (reason, detail) = WhyNothing(result);
            return new(id, arm, variant, segment, null, null, null, null, false, reason, detail, null, lost?.PlayId, lost?.Channel, lost?.Factors.Score);
        }
        if (arm == ArmAssignment.ControlArm)
            return new(id, arm, null, segment, chosen.PlayId, chosen.Channel, null, null, false, NotSentReasons.Control, null, chosen.Factors.Score,
                lost?.PlayId, lost?.Channel, lost?.Factors.Score);
        var sendAt = decision.SendAt ?? plan.AsOf;
        if (campaign.Schedule.CustomerLocalTime) sendAt = Max(sendAt, LocalClock(plan, prepared.Zone));
        var version = plan.PlayVersions.TryGetValue(chosen.PlayId, out var v) ? v : 0;
        return new(id, arm, variant, segment, chosen.PlayId, chosen.Channel, ContentRef(chosen.PlayId, version, chosen.Channel, arm), sendAt, true,
            NotSentReasons.Sent, null, chosen.Factors.Score, lost?.PlayId, lost?.Channel, lost?.Factors.Score);
    }

    // "{play}@v{version}/{channel}/{variant}": the play version's content for the channel, rendered by the sending
    // platform with the variant's creative (or by Workbench's preview for one customer).
    public static string ContentRef(string playId, int version, string channel, string variant) =>
        string.Create(CultureInfo.InvariantCulture, $"{playId}@v{version}/{channel}/{variant}");

    private static (string Reason, string? Detail) WhyNothing(DecisionResult result)
    {
        var stopped = result.Decision.Trace.FirstOrDefault(t => t.Outcome is CandidateOutcome.Capped or CandidateOutcome.QuietHours or CandidateOutcome.Dropped);
        if (stopped is not null)
            return (stopped.Reason.StartsWith("quiet hours", StringComparison.Ordinal) ? NotSentReasons.QuietHours : NotSentReasons.Capped, stopped.Reason);
        if (result.Ranked.Count > 0 || result.ChannelOrder.Count == 0) return (NotSentReasons.Unreachable, null);
        return (NotSentReasons.NoEligiblePlay, CommonestBlockingRule(result.Verdicts));
    }

    // The first blocking rule most plays stopped at, up to its first " (" (the customer's value and the rule's details
    // left out, so plays of one kind count together); ties by the rule's text. Counted on spans, since most customers
    // of a run have no eligible play and each has hundreds of verdicts.
    // Kept verdicts share their rule's string, so the strings are counted by reference first and each distinct one is
    // cut and counted by its words once.
    public static string? CommonestBlockingRule(IReadOnlyList<PlayChannelVerdict> verdicts)
    {
        var byReference = new Dictionary<string, int>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < verdicts.Count; i++)
        {
            if ((verdicts[i].EngineBlock ?? verdicts[i].Playbook.FirstBlocking?.Rule) is not { } rule) continue;
            ref var seen = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(byReference, rule, out _);
            seen++;
        }
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var bySpan = counts.GetAlternateLookup<ReadOnlySpan<char>>();
        foreach (var (rule, times) in byReference)
        {
            var text = rule.AsSpan();
            var cut = text.IndexOf(" (", StringComparison.Ordinal);
            if (cut >= 0) text = text[..cut];
            bySpan[text] = bySpan.TryGetValue(text, out var n) ? n + times : times;
        }
        string? best = null;
        var most = 0;
        foreach (var (rule, n) in counts)
        {
            if (n > most || (n == most && string.CompareOrdinal(rule, best) < 0)) (best, most) = (rule, n);
        }
        return best;
    }

    // The first instant at or after the run when the customer's clock shows the run's clock time in the campaign's zone.
    private static DateTime LocalClock(CampaignRunPlan plan, TimeZoneInfo customerZone)
    {
        var campaignZone = TimeZones.Find(plan.Campaign.Schedule.TimeZone) ?? TimeZoneInfo.Utc;
        var clock = TimeZoneInfo.ConvertTimeFromUtc(plan.AsOf, campaignZone).TimeOfDay;
        var local = TimeZoneInfo.ConvertTimeFromUtc(plan.AsOf, customerZone);
        for (var day = 0; day < 3; day++)
        {
            var candidate = DateTime.SpecifyKind(local.Date.AddDays(day) + clock, DateTimeKind.Unspecified);
            if (customerZone.IsInvalidTime(candidate)) candidate = candidate.AddHours(1);
            var utc = TimeZoneInfo.ConvertTimeToUtc(candidate, customerZone);
            if (utc >= plan.AsOf) return utc;
        }
        return plan.AsOf;
    }

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;
}
