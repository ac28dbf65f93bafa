using Workbench.Core.Campaigns;
using Workbench.Core.Decisioning;
using Workbench.Core.Playbook;

namespace Workbench.Tests.Core.Campaigns;

// Why a customer of a run got no eligible play: the first blocking rule most plays stopped at, cut at its first " (",
// ties by the rule's text. Checked against the definition written out plainly (each verdict's first blocking text,
// split at " (", grouped, most first, then by text) over generated verdicts.
public sealed class CommonestBlockingRuleTests
{
    private static readonly string[] Rules =
    [
        "cart_add of Beauty, then 30 min without a purchase (open 6 h)", "cart_add of Beauty, then 30 min without a purchase (open 2 h)",
        "segments: any of 3, 4", "consent for sms granted", "cooldown 7 days after the last contact with this play", "b (x) (y)", "a",
    ];

    private static readonly string[] EngineBlocks = ["the email contact point fails data quality: the e-mail address is not valid", "the sms contact (point)"];

    private static PlayChannelVerdict Verdict(Random rng, int i)
    {
        var kind = rng.Next(4);
        var reasons = kind == 0
            ? new List<EligibilityReason>()
            : [new EligibilityReason(ReasonKind.Trigger, false, Copy(rng, Rules[rng.Next(Rules.Length)]), rng.Next(2) == 0 ? "" : "no event")];
        var block = kind == 3 ? Copy(rng, EngineBlocks[rng.Next(EngineBlocks.Length)]) : null;
        return new PlayChannelVerdict($"p{i}", "email", new EligibilityVerdict($"p{i}", "email", reasons, false), block, null, null);
    }

    // Kept verdicts share one string per rule, others hold their own copy: both, mixed, count as the same text.
    private static string Copy(Random rng, string text) => rng.Next(2) == 0 ? text : new string(text.AsSpan());

    private static string? ByDefinition(IReadOnlyList<PlayChannelVerdict> verdicts) =>
        verdicts.Select(v => v.FirstBlocking).Where(r => r is not null)
            .GroupBy(r => r!.Split(" (")[0], StringComparer.Ordinal).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.Key).FirstOrDefault();

    [Fact]
    public void CommonestBlockingRule_EqualsTheDefinition_OverGeneratedVerdicts()
    {
        var rng = new Random(11);
        for (var trial = 0; trial < 2_000; trial++)
        {
            var verdicts = Enumerable.Range(0, rng.Next(0, 40)).Select(i => Verdict(rng, i)).ToList();
            Assert.Equal(ByDefinition(verdicts), CampaignDecider.CommonestBlockingRule(verdicts));
        }
    }

    [Fact]
    public void CommonestBlockingRule_CountsRulesUpToTheirDetails_TiesByText()
    {
        var rng = new Random(1);
        PlayChannelVerdict Blocked(string rule) =>
            new("p", "app", new EligibilityVerdict("p", "app", [new EligibilityReason(ReasonKind.Trigger, false, rule, "v")], false), null, null, null);

        // Two cart rules that differ only in their window count as one rule: 2 against 1.
        Assert.Equal("cart_add of Beauty, then 30 min without a purchase",
            CampaignDecider.CommonestBlockingRule([Blocked(Rules[0]), Blocked(Rules[1]), Blocked("segments: any of 3, 4")]));
        Assert.Equal("a", CampaignDecider.CommonestBlockingRule([Blocked("b"), Blocked("a")]));
        Assert.Null(CampaignDecider.CommonestBlockingRule([Verdict(rng, 0) with { Playbook = new EligibilityVerdict("p", "app", [], true), EngineBlock = null }]));
    }
}
