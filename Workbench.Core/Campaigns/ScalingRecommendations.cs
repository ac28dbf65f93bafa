using System.Globalization;
using Workbench.Core.Audit;
using Workbench.Core.Decisioning;
using Workbench.Core.Experiments.Statistics;

namespace Workbench.Core.Campaigns;

// The next run's variant allocation recommended from a run's results, with the allocation the campaign has now.
public sealed record AllocationRecommendation(long RunId, IReadOnlyList<ArmAllocation> Arms, IReadOnlyDictionary<string, double> Current)
{
    public string Describe() => string.Join(", ", Arms.Select(a => $"{a.Variant} {a.Share.ToString("0.0%", CultureInfo.InvariantCulture)}"));
}

// Scaling winners by Thompson sampling: each variant's conversion rate drawn from its Beta(1 + converters,
// 1 + non-converters) posterior (the run's attributed results, a uniform prior), 10,000 draws seeded by the run id, so
// the same results give the same recommendation; the variants share the treated customers in proportion to their
// chance of being best, each kept at 10% or more so learning goes on; the control group keeps its percent. The squad
// accepts it (the campaign's variant shares become the recommendation: a new, audited version) or rejects it (audited).
public sealed class ScalingRecommendations(CampaignStore campaigns, AuditService audit)
{
    public const int Draws = 10_000;
    public const double MinShare = 0.10;

    public static AllocationRecommendation? Recommend(RunResults results, Campaign campaign)
    {
        var variants = campaign.Variants.Select(v => v.Name).ToHashSet(StringComparer.Ordinal);
        var arms = results.Arms.Where(a => a.Arm != ArmAssignment.ControlArm && variants.Contains(a.Arm))
            .Select(a => new ArmPosterior(a.Arm, a.Converters, a.Customers - a.Converters)).ToList();
        if (arms.Count < 2) return null;
        var allocation = ThompsonSampling.Allocate(arms, (int)(results.RunId % int.MaxValue), Draws, MinShare);
        var total = campaign.Variants.Sum(v => v.Share);
        return new AllocationRecommendation(results.RunId, allocation,
            campaign.Variants.ToDictionary(v => v.Name, v => total > 0 ? v.Share / total : 0, StringComparer.Ordinal));
    }

    // The campaign's variant shares set to the recommendation (in percent, one decimal) as a new version.
    public async Task<CampaignSaveResult> AcceptAsync(string campaignId, AllocationRecommendation recommendation, string user, CancellationToken ct)
    {
        if (await campaigns.GetAsync(campaignId, ct) is not { } campaign)
            return new CampaignSaveResult(null, [new Playbook.ValidationMessage(Playbook.Severity.Error, "id", $"there is no campaign '{campaignId}'")]);
        var shares = recommendation.Arms.ToDictionary(a => a.Variant, a => Math.Max(0.1, Math.Round(a.Share * 100, 1)), StringComparer.Ordinal);
        if (campaign.Variants.Any(v => !shares.ContainsKey(v.Name)))
            return new CampaignSaveResult(null, [new Playbook.ValidationMessage(Playbook.Severity.Error, "variants", "the campaign's variants changed since the run: this recommendation no longer fits them")]);
        var result = await campaigns.UpdateAsync(campaign with { Variants = campaign.Variants.Select(v => v with { Share = shares[v.Name] }).ToList() },
            campaign.Version, user, ct);
        if (result.Saved is not null)
            await audit.RecordAsync(user, AuditActions.Update, AuditEntities.Campaign, campaignId,
                [new FieldChange("allocation recommendation", null, $"accepted from run {recommendation.RunId}: {recommendation.Describe()}")], ct);
        return result;
    }

    public Task RejectAsync(string campaignId, AllocationRecommendation recommendation, string user, CancellationToken ct) =>
        audit.RecordAsync(user, AuditActions.Update, AuditEntities.Campaign, campaignId,
            [new FieldChange("allocation recommendation", null, $"rejected from run {recommendation.RunId}: {recommendation.Describe()}")], ct);
}
