using Fluid.Values;

namespace Workbench.Core.Playbook;

public sealed record ChannelPreview(string Channel, EligibilityVerdict Verdict, RenderedMessage? Message);

public sealed record PlayPreviewResult(
    string PlayId,
    string PlayName,
    string CustomerId,
    DateTime At,
    IReadOnlyList<RecommendedProduct> Recommendations,
    IReadOnlyList<ChannelPreview> Channels);

// What one customer would get from a play, channel by channel, exactly as rendered, with the verdict beside it.
// A channel renders its first variant unless variants names another. Pure: the customer is prepared once (PlaybookCustomer, TemplateVariables.Customer) and reused for every play.
public static class PlayPreview
{
    public static PlayPreviewResult For(Play play, PlaybookCustomer customer, IReadOnlyDictionary<string, FluidValue> variables,
        ProductCatalog? catalog, TimeZoneInfo storeZone, string? channel = null, IReadOnlyDictionary<string, string>? variants = null)
    {
        IReadOnlyList<RecommendedProduct> recommendations = play.Recommendations is { } slot && catalog is not null
            ? Recommender.Resolve(slot, customer.Snapshot, catalog)
            : [];
        var channels = channel is null ? play.Channels : [channel];
        var previews = channels.Select(ch => new ChannelPreview(ch,
            Eligibility.Evaluate(play, ch, customer, storeZone),
            PlayRenderer.Render(play, ch, variants?.GetValueOrDefault(ch), variables, recommendations))).ToList();
        return new PlayPreviewResult(play.Id, play.Name, customer.Snapshot.CustomerId, customer.Now, recommendations, previews);
    }
}
