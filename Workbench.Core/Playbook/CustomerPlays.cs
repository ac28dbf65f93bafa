using Fluid.Values;

namespace Workbench.Core.Playbook;

public sealed record BlockedPlay(string PlayId, string PlayName, string Channel, EligibilityReason? FirstBlocking);

// Every active play for one customer: those they are eligible for now on a channel, with the message rendered and the
// recommendations resolved, and the others with their first blocking reason (per channel).
public sealed record CustomerPlaysResult(string CustomerId, DateTime At, IReadOnlyList<PlayPreviewResult> Eligible, IReadOnlyList<BlockedPlay> Blocked);

public static class CustomerPlays
{
    public static CustomerPlaysResult For(IEnumerable<Play> plays, PlaybookCustomer customer, IReadOnlyDictionary<string, FluidValue> variables,
        ProductCatalog? catalog, TimeZoneInfo storeZone, string? channel = null)
    {
        var eligible = new List<PlayPreviewResult>();
        var blocked = new List<BlockedPlay>();
        foreach (var play in plays)
        {
            if (play.Status != PlayStatus.Active) continue;
            var open = new List<ChannelPreview>();
            foreach (var ch in channel is null ? play.Channels : play.Channels.Where(c => c == channel))
            {
                var verdict = Eligibility.Evaluate(play, ch, customer, storeZone, stopAtFirstBlocking: true);
                if (verdict.Eligible) open.Add(new ChannelPreview(ch, Eligibility.Evaluate(play, ch, customer, storeZone), null));
                else blocked.Add(new BlockedPlay(play.Id, play.Name, ch, verdict.FirstBlocking));
            }
            if (open.Count == 0) continue;
            IReadOnlyList<RecommendedProduct> recommendations = play.Recommendations is { } slot && catalog is not null
                ? Recommender.Resolve(slot, customer.Snapshot, catalog)
                : [];
            eligible.Add(new PlayPreviewResult(play.Id, play.Name, customer.Snapshot.CustomerId, customer.Now, recommendations,
                open.Select(o => o with { Message = PlayRenderer.Render(play, o.Channel, null, variables, recommendations) }).ToList()));
        }
        return new CustomerPlaysResult(customer.Snapshot.CustomerId, customer.Now, eligible, blocked);
    }
}
