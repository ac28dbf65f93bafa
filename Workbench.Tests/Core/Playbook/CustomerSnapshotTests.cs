using Workbench.Core.Playbook;
using Workbench.Core.Segments.Rules;
using static Workbench.Tests.Core.Playbook.PlaybookFixture;

namespace Workbench.Tests.Core.Playbook;

public sealed class CustomerSnapshotTests
{
    [Fact]
    public void ToFacts_HasEveryProfileAndFeatureFieldOfTheRuleCatalog()
    {
        var facts = Customer().ToFacts();
        var missing = FieldCatalog.All.Where(f => f.Source != FieldSource.Behaviour && !facts.Values.ContainsKey(f.Id)).Select(f => f.Id).ToList();
        Assert.True(missing.Count == 0, "snapshot facts lack: " + string.Join(", ", missing));
    }

    [Fact]
    public void ToFacts_UsesTheEvaluatorsConventions()
    {
        var facts = (Customer() with { Features = null }).ToFacts();
        // Without a features row the counts are 0 and the rest empty, as the SQL compiler's COALESCE says.
        Assert.Equal(0.0, facts.Values["orders"]);
        Assert.Equal(0.0, facts.Values["net_revenue"]);
        Assert.Null(facts.Values["recency_days"]);
        Assert.Equal(new DateTime(2024, 3, 10), facts.Values["signup_date"]);
        Assert.Equal(420.0, facts.Values["loyalty_points"]);
        Assert.Equal("granted", facts.Consents["email"]);
        Assert.True(RuleEvaluator.Matches(new RuleGroup { Conditions = [Cond("bought_category", Operators.Within, category: "Garden", days: 30)] }, facts, Now));
        Assert.False(RuleEvaluator.Matches(new RuleGroup { Conditions = [Cond("orders", Operators.Gte, 1.0)] }, facts, Now));
    }

    [Fact]
    public void CategoriesLastBought_PrefersTheStoresActivity_ElseTheLines()
    {
        var s = Customer() with
        {
            Purchases = [new PurchaseLine("O1", Utc(2026, 11, 1), "G1", "Garden", 1, 5), new PurchaseLine("O2", Utc(2026, 11, 3), "G1", "Garden", -1, -5)],
        };
        Assert.Equal(Utc(2026, 11, 1), s.CategoriesLastBought()["Garden"]); // a return is not a purchase
        var withActivity = s with { CategoryLastBought = new Dictionary<string, DateTime> { ["Garden"] = Utc(2025, 1, 1), ["Toys"] = Utc(2024, 1, 1) } };
        Assert.Equal(2, withActivity.CategoriesLastBought().Count);
        Assert.Equal(["O1"], s.LastOrder().Select(l => l.OrderId));
    }
}
