using Workbench.Core.Segments;
using Workbench.Core.Segments.Rules;

namespace Workbench.Tests.Core.Segments;

public sealed class SegmentTemplatesTests(HandMadeStore fixture) : IClassFixture<HandMadeStore>
{
    [Fact]
    public void All_AreValidRulesWithDistinctIds()
    {
        Assert.Equal(11, SegmentTemplates.All.Count);
        Assert.Equal(SegmentTemplates.All.Count, SegmentTemplates.All.Select(t => t.Id).Distinct().Count());
        foreach (var t in SegmentTemplates.All) Assert.True(RuleJson.Parse(t.RuleJson).IsValid, t.Id + ": " + string.Join("; ", RuleJson.Parse(t.RuleJson).Problems));
    }

    [Theory]
    [InlineData("frequent", "C1")]
    [InlineData("occasional", "C4")]
    [InlineData("one-time", "C2")]
    [InlineData("high-value", "C1")]
    [InlineData("low-value", "C2")]
    [InlineData("lapsing-high-value", "C4")]
    [InlineData("promo-hunters", "C1")]
    [InlineData("email-reachable-members", "C1")]
    public void Template_OnHandMadeCustomers_MatchesItsDefinition(string id, string expected)
    {
        var rule = SegmentTemplates.Find(id)!.Rule;
        Assert.Equal(expected, string.Join(",", fixture.Customers.Where(c => RuleEvaluator.Matches(rule, c, SegmentFixture.AsOf)).Select(c => c.CustomerId)));
    }

    [Fact]
    public void MicroSegments_AreRegionTimesDaypart()
    {
        var micro = SegmentTemplates.MicroSegments(["London", "O'Hare \"X\""]);
        Assert.Equal(6, micro.Count);
        Assert.Equal("London · evening", micro[2].Name);
        Assert.All(micro, m => Assert.True(RuleJson.Parse(m.RuleJson).IsValid));
        Assert.Equal("O'Hare \"X\"", RuleValues.Text(micro[3].Rule.Conditions[0].Value));
        Assert.Equal("C1", string.Join(",", fixture.Customers.Where(c => RuleEvaluator.Matches(micro[2].Rule, c, SegmentFixture.AsOf)).Select(c => c.CustomerId)));
    }
}
