using Workbench.Core.Customers;

namespace Workbench.Tests.Core.Customers;

public sealed class CustomerKpisTests
{
    private static readonly DateOnly Today = new(2026, 3, 15);

    private static DateTime At(int month, int day) => new(2026, month, day, 12, 0, 0, DateTimeKind.Utc);

    // The fixture, with each line's amount (quantity × unit_price − discount) and margin (amount − quantity × unit_cost):
    //   O1 store 10 Jan  L1 2 × 10.00 − 2.00 = 18.00, cost 4.00 → margin 10.00 (Grocery, discounted)
    //                    L2 1 ×  0.00 − 0    =  0.00, cost 1.00 → margin −1.00 (Home, a free item: zero price)
    //   O2 web   15 Feb  L1 1 × 50.00 − 0    = 50.00, no cost   → not in margin (Furniture)
    //   O4 app    5 Mar  L1 3 ×  5.00 − 1.50 = 13.50, cost 2.00 → margin  7.50 (Grocery, discounted)
    //   O3 web   10 Mar  L1 −1 × 9.00 − 0    = −9.00, cost 4.00 → margin −5.00 (a return of O1 L1 at the price paid)
    // Gross 18 + 0 + 50 + 13.5 = 81.50; returns 9.00; net 72.50; orders O1, O2, O4 = 3 (O3 holds only a return);
    // units 2 + 1 + 1 + 3 = 7, 1 returned; margin 10 − 1 − 5 + 7.5 = 11.50 over lines with a cost, whose gross is
    // 18 + 0 + 13.5 = 31.50 of 81.50; AOV 81.50 / 3 = 27.1666…; last purchase 5 Mar (the later return is no purchase),
    // 10 days before 15 Mar; orders on discount O1, O4 = 2 of 3.
    private static readonly KpiLine[] Fixture =
    [
        new("O1", At(1, 10), "G1", 2, 10.00, 2.00, 4.00, "Grocery", "store"),
        new("O1", At(1, 10), "H1", 1, 0.00, 0, 1.00, "Home", "store"),
        new("O2", At(2, 15), "F1", 1, 50.00, 0, null, "Furniture", "web"),
        new("O4", At(3, 5), "G2", 3, 5.00, 1.50, 2.00, "Grocery", "app"),
        new("O3", At(3, 10), "G1", -1, 9.00, 0, 4.00, "Grocery", "web"),
    ];

    [Fact]
    public void Compute_ReturnsDiscountsZeroPricesAndMissingCost_MatchHandComputedFigures()
    {
        var k = CustomerKpis.Compute(Fixture, Today);

        Assert.Equal(3, k.Orders);
        Assert.Equal(7, k.Units);
        Assert.Equal(1, k.UnitsReturned);
        Assert.Equal(81.50, k.GrossRevenue, 9);
        Assert.Equal(9.00, k.Returns, 9);
        Assert.Equal(72.50, k.NetRevenue, 9);
        Assert.Equal(11.50, k.Margin!.Value, 9);
        Assert.Equal(31.5 / 81.5, k.MarginCoverage, 9);
        Assert.Equal(81.5 / 3, k.AverageOrderValue!.Value, 9);
        Assert.Equal(At(1, 10), k.FirstPurchaseAt);
        Assert.Equal(At(3, 5), k.LastPurchaseAt);
        Assert.Equal(10, k.DaysSinceLastPurchase);
        Assert.Equal(2.0 / 3, k.DiscountedOrderShare!.Value, 9);
    }

    [Fact]
    public void Compute_Fixture_RanksCategoriesByGrossAndCountsOrdersPerChannel()
    {
        var k = CustomerKpis.Compute(Fixture, Today);

        // Furniture 50.00, Grocery 18 + 13.5 = 31.50, Home 0.00 (the return is not a purchase).
        Assert.Equal(["Furniture", "Grocery", "Home"], k.FavouriteCategories.Select(c => c.Category));
        Assert.Equal([50.0, 31.5, 0.0], k.FavouriteCategories.Select(c => c.Revenue));
        Assert.Equal(50 / 81.5, k.FavouriteCategories[0].Share, 9);
        // One order each in store (O1), web (O2) and app (O4); the web return O3 is no order. Ties sort by name.
        Assert.Equal([("app", 1L), ("store", 1L), ("web", 1L)], k.ChannelMix.Select(c => (c.Channel, c.Orders)));
        // Months: Jan gross 18; Feb gross 50; Mar gross 13.50, returns 9.00, net 4.50.
        Assert.Equal(
            [new MonthlySpend("2026-01", 18, 0, 18), new MonthlySpend("2026-02", 50, 0, 50), new MonthlySpend("2026-03", 13.5, 9, 4.5)],
            k.MonthlySpend);
    }

    [Fact]
    public void Compute_MonthsWithoutPurchases_AreZeroUpToToday()
    {
        var k = CustomerKpis.Compute(
            [new KpiLine("O1", At(1, 10), "F1", 1, 20, 0, null, "Furniture", "web"), new KpiLine("O2", At(3, 2), "F1", 1, 5, 0, null, "Furniture", "web")],
            new DateOnly(2026, 5, 2));

        // January 20, March 5; February, April and May (today's month) had nothing.
        Assert.Equal(
            [new MonthlySpend("2026-01", 20, 0, 20), new MonthlySpend("2026-02", 0, 0, 0), new MonthlySpend("2026-03", 5, 0, 5),
             new MonthlySpend("2026-04", 0, 0, 0), new MonthlySpend("2026-05", 0, 0, 0)],
            k.MonthlySpend);
    }

    [Fact]
    public void Compute_NoLineWithACost_MarginIsUnknownNotZero()
    {
        var k = CustomerKpis.Compute([new KpiLine("O1", At(1, 1), "F1", 1, 20, 0, null, "Furniture", "web")], Today);

        Assert.Null(k.Margin);
        Assert.Equal(0, k.MarginCoverage);
        Assert.Equal(20, k.NetRevenue);
    }

    [Fact]
    public void Compute_OnlyReturns_HasNoOrdersAndNoAverage()
    {
        var k = CustomerKpis.Compute([new KpiLine("R1", At(2, 1), "G1", -2, 3, 0, 1, "Grocery", "store")], Today);

        Assert.Equal(0, k.Orders);
        Assert.Equal(0, k.GrossRevenue);
        Assert.Equal(6, k.Returns);
        Assert.Equal(-6, k.NetRevenue);
        Assert.Null(k.AverageOrderValue);
        Assert.Null(k.LastPurchaseAt);
        Assert.Null(k.DaysSinceLastPurchase);
        Assert.Null(k.DiscountedOrderShare);
    }

    [Fact]
    public void Compute_NoLines_IsAllZeroAndUnknown()
    {
        var k = CustomerKpis.Compute([], Today);

        Assert.Equal((0L, 0.0, 0.0), (k.Orders, k.GrossRevenue, k.NetRevenue));
        Assert.Null(k.Margin);
        Assert.Empty(k.FavouriteCategories);
        Assert.Empty(k.MonthlySpend);
    }
}
