using Fluid.Values;

namespace Workbench.Core.Playbook;

// One play's verdict on each of its channels for one customer, in the play's channel order.
public sealed record PlayVerdicts(Play Play, IReadOnlyList<EligibilityVerdict> Verdicts)
{
    public bool Eligible => Verdicts.Any(v => v.Eligible);

    // The play's blocking reason: the first failure of the channel that got furthest through the rules (a play
    // blocked by its trigger on every channel says so, rather than by the consent missing on one of them).
    public (string Channel, EligibilityReason Reason)? FirstBlocking => Verdicts
        .Where(v => v.FirstBlocking is not null)
        .Select((v, i) => (v, i))
        .OrderByDescending(x => x.v.Reasons.Count).ThenBy(x => x.i)
        .Select(x => ((string, EligibilityReason)?)(x.v.Channel, x.v.FirstBlocking!))
        .FirstOrDefault();
}

public sealed record EligiblePlay(string PlayId, string PlayName, string UseCaseId, int Priority,
    IReadOnlyList<ChannelPreview> Channels, IReadOnlyList<RecommendedProduct> Recommendations);

public sealed record BlockedPlay(string PlayId, string PlayName, string UseCaseId, int Priority, string Channel, EligibilityReason FirstBlocking,
    IReadOnlyList<EligibilityVerdict> Verdicts);

// Eligible: active plays that may reach the customer on at least one channel, with that channel's rendered message;
// Blocked: the other active plays with their first blocking reason. Both by priority (highest first), then id.
public sealed record PlaysNowResult(string CustomerId, DateTime At, int ActivePlays, IReadOnlyList<EligiblePlay> Eligible, IReadOnlyList<BlockedPlay> Blocked);

// Every active play for one customer at one moment. Pure: the customer is prepared once; each verdict stops at its
// first blocking rule (the decision engine's fast path); only eligible channels are rendered and only eligible plays'
// recommendations resolved, so the caller builds the basket model only when NeedsCatalog says so.
public static class PlaysNow
{
    public static IReadOnlyList<PlayVerdicts> Evaluate(IEnumerable<Play> plays, PlaybookCustomer customer, TimeZoneInfo storeZone) =>
        plays.Where(p => p.Status == PlayStatus.Active)
            .Select(p => new PlayVerdicts(p, p.Channels.Select(ch => Eligibility.Evaluate(p, ch, customer, storeZone, stopAtFirstBlocking: true)).ToList()))
            .ToList();

    public static bool NeedsCatalog(IReadOnlyList<PlayVerdicts> verdicts) => verdicts.Any(v => v.Eligible && v.Play.Recommendations is not null);

    public static PlaysNowResult Render(IReadOnlyList<PlayVerdicts> verdicts, PlaybookCustomer customer,
        IReadOnlyDictionary<string, FluidValue> variables, ProductCatalog? catalog)
    {
        var eligible = new List<EligiblePlay>();
        var blocked = new List<BlockedPlay>();
        foreach (var v in verdicts.OrderByDescending(v => v.Play.Priority).ThenBy(v => v.Play.Id, StringComparer.Ordinal))
        {
            var play = v.Play;
            if (!v.Eligible)
            {
                var (channel, reason) = v.FirstBlocking!.Value;
                blocked.Add(new BlockedPlay(play.Id, play.Name, play.UseCaseId, play.Priority, channel, reason, v.Verdicts));
                continue;
            }
            IReadOnlyList<RecommendedProduct> recommendations = play.Recommendations is { } slot && catalog is not null
                ? Recommender.Resolve(slot, customer.Snapshot, catalog)
                : [];
            var channels = v.Verdicts.Where(x => x.Eligible)
                .Select(x => new ChannelPreview(x.Channel, x, PlayRenderer.Render(play, x.Channel, null, variables, recommendations)))
                .ToList();
            eligible.Add(new EligiblePlay(play.Id, play.Name, play.UseCaseId, play.Priority, channels, recommendations));
        }
        return new PlaysNowResult(customer.Snapshot.CustomerId, customer.Now, verdicts.Count, eligible, blocked);
    }
}
