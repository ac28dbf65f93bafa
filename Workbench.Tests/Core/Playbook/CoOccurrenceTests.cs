using Workbench.Core.Playbook;
using static Workbench.Tests.Core.Playbook.PlaybookFixture;

namespace Workbench.Tests.Core.Playbook;

// Six baskets, counted by hand:
//   O1 A B C · O2 A B · O3 A C · O4 B C · O5 A B D · O6 D D (two lines of D: one order holding D)
// N = 6; n(A) = 4 (O1 O2 O3 O5), n(B) = 4 (O1 O2 O4 O5), n(C) = 3 (O1 O3 O4), n(D) = 2 (O5 O6).
// n(AB) = 3 (O1 O2 O5), n(AC) = 2 (O1 O3), n(BC) = 2 (O1 O4), n(AD) = 1 (O5), n(BD) = 1 (O5), n(CD) = 0.
public sealed class CoOccurrenceTests
{
    private static readonly (string, string)[] Lines =
    [
        ("O1", "A"), ("O1", "B"), ("O1", "C"), ("O2", "A"), ("O2", "B"), ("O3", "A"), ("O3", "C"),
        ("O4", "B"), ("O4", "C"), ("O5", "A"), ("O5", "B"), ("O5", "D"), ("O6", "D"), ("O6", "D"),
    ];

    [Fact]
    public void Pair_SupportConfidenceLift_AsComputedByHand()
    {
        var model = CoOccurrenceBuilder.FromBaskets(Lines, minSupport: 0);
        Assert.Equal(6, model.Orders);
        Assert.Equal([4, 4, 3, 2], new[] { "A", "B", "C", "D" }.Select(model.OrdersWith));

        // A→B: support 3/6 = 0.5; confidence 3/4 = 0.75; lift 0.75 / (4/6) = 1.125.
        var ab = model.Pair("A", "B")!;
        Assert.Equal((3, 0.5, 0.75, 1.125), (ab.Orders, ab.Support, ab.Confidence, Math.Round(ab.Lift, 12)));
        // A→C: support 2/6; confidence 2/4 = 0.5; lift 0.5 / (3/6) = 1.0. C→A: confidence 2/3; lift (2/3) / (4/6) = 1.0.
        var ac = model.Pair("A", "C")!;
        Assert.Equal(2.0 / 6, ac.Support, 12);
        Assert.Equal(0.5, ac.Confidence, 12);
        Assert.Equal(1.0, ac.Lift, 12);
        var ca = model.Pair("C", "A")!;
        Assert.Equal(2.0 / 3, ca.Confidence, 12);
        Assert.Equal(1.0, ca.Lift, 12);
        // D→A: support 1/6; confidence 1/2; lift 0.5 / (4/6) = 0.75 (bought together less than by chance).
        var da = model.Pair("D", "A")!;
        Assert.Equal((1.0 / 6, 0.5, 0.75), (da.Support, da.Confidence, Math.Round(da.Lift, 12)));
        Assert.Null(model.Pair("C", "D"));
        Assert.Equal(5, model.PairCount);
    }

    [Fact]
    public void MinimumSupport_DropsRarePairs()
    {
        // 0.2 × 6 orders = 1.2: a pair needs 2 orders; AD and BD (1 each) go, AB, AC, BC stay.
        var model = CoOccurrenceBuilder.FromBaskets(Lines, minSupport: 0.2);
        Assert.Equal(3, model.PairCount);
        Assert.Null(model.Pair("A", "D"));
        Assert.Equal(["B", "C"], model.With("A").Select(p => p.To)); // by confidence: 0.75, then 0.5
        // At exactly the support of AC (2/6) it stays; just above, it goes.
        Assert.NotNull(CoOccurrenceBuilder.FromBaskets(Lines, 2.0 / 6).Pair("A", "C"));
        Assert.Null(CoOccurrenceBuilder.FromBaskets(Lines, 2.0 / 6 + 0.01).Pair("A", "C"));
    }

    [Fact]
    public void With_TiesByLiftThenSku()
    {
        // D→A and D→B: both confidence 1/2 and lift 0.75, so by sku.
        Assert.Equal(["A", "B"], CoOccurrenceBuilder.FromBaskets(Lines, 0).With("D").Select(p => p.To));
    }

    [Fact]
    public void Builder_RefusesLinesNotSortedByOrder_AndSkipsPairsOfHugeBaskets()
    {
        var builder = new CoOccurrenceBuilder();
        builder.Add("O2", "A");
        Assert.Throws<InvalidOperationException>(() => builder.Add("O1", "B"));

        var small = new CoOccurrenceBuilder(maxBasketItems: 2);
        foreach (var (o, s) in Lines) small.Add(o, s);
        var model = small.Build(0);
        Assert.Equal(2, small.SkippedBaskets); // O1 and O5 hold three items
        Assert.Equal(4, model.OrdersWith("A")); // their items still count
        Assert.Equal(1, model.OrdersWithBoth("A", "B")); // only O2
    }

    private static ProductCatalog Catalog(double minSupport = 0.2) => new(
    [
        new ProductInfo("A", "Apron", "X", 10), new ProductInfo("B", "Bowl", "X", 12),
        new ProductInfo("C", "Candle", "Y", 5), new ProductInfo("D", "Diffuser", "Y", 20),
    ], CoOccurrenceBuilder.FromBaskets(Lines, minSupport));

    private static CustomerSnapshot Buyer(string topCategory) => Customer() with
    {
        Features = new SnapshotFeatures(Orders: 2, TopCategory1: topCategory),
        Purchases = [new PurchaseLine("X1", Utc(2026, 10, 1), "C", "Y", 1, 5), new PurchaseLine("X2", Utc(2026, 11, 1), "A", "X", 1, 10)],
    };

    [Fact]
    public void BoughtTogether_WithTheLastPurchase_ExcludingWhatWasBought()
    {
        // Last order X2 holds A; A's partners at support ≥ 0.2 are B (0.75) and C (0.5); C was bought before: B only.
        var recs = Recommender.Resolve(new RecommendationSlot(RecommendationRule.BoughtTogether, 3), Buyer("Y"), Catalog());
        var b = Assert.Single(recs);
        Assert.Equal(("B", 0.5, 0.75, 1.125), (b.Sku, b.Support, b.Confidence, Math.Round(b.Lift!.Value, 12)));
        // The slot's own minimum support can be stricter than the model's: 0.6 leaves nothing.
        Assert.Empty(Recommender.Resolve(new RecommendationSlot(RecommendationRule.BoughtTogether, 3, MinSupport: 0.6), Buyer("Y"), Catalog()));
    }

    [Fact]
    public void BestSellersInTheTopCategory_AndFixedList_ExcludingWhatWasBought()
    {
        // Category Y by orders: C (3), D (2); C was bought: D.
        var best = Recommender.Resolve(new RecommendationSlot(RecommendationRule.TopCategoryBestSellers, 2), Buyer("Y"), Catalog());
        Assert.Equal(["D"], best.Select(r => r.Sku));
        Assert.Equal(2.0 / 6, best[0].Support);
        // Category X: A (4) was bought, B (4).
        Assert.Equal(["B"], Recommender.Resolve(new RecommendationSlot(RecommendationRule.TopCategoryBestSellers, 2), Buyer("X"), Catalog()).Select(r => r.Sku));
        var fixedList = new RecommendationSlot(RecommendationRule.FixedList, 5, FixedSkus: ["D", "C", "NOPE", "B"]);
        Assert.Equal(["D", "B"], Recommender.Resolve(fixedList, Buyer("Y"), Catalog()).Select(r => r.Sku));
        Assert.Equal(["D"], Recommender.Resolve(fixedList with { Count = 1 }, Buyer("Y"), Catalog()).Select(r => r.Sku));
    }
}
