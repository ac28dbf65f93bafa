using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Data;
using Workbench.Core.Import;
using Workbench.Core.Kpis;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Core.Kpis;

// Every expected number is worked out by hand from the lines listed in KpiFixture.
public sealed class KpiServiceTests : IAsyncLifetime
{
    private TestStore _store = null!;

    public async Task InitializeAsync() => _store = await KpiFixture.CreateAsync();

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private KpiService Kpis => _store.Services.GetRequiredService<KpiService>();

    private static KpiMonth Month(KpiGroup group, string month) => group.Months.Single(m => m.Month == month);

    [Fact]
    public async Task Overview_ByMonth_EveryMonthFromTheFirstPurchaseToToday_WithZeros()
    {
        var overview = await Kpis.OverviewAsync(new KpiQuery(), default);

        Assert.Equal(KpiState.Ready, overview.State);
        var all = Assert.Single(overview.Groups);
        Assert.Equal(KpiService.Everyone, all.Name);
        // 2025-05 (O8, the first line) to 2026-06 (today's month): 14 months, those without lines as zero.
        Assert.Equal(14, all.Months.Count);
        Assert.Equal(("2025-05", "2026-06"), (all.Months[0].Month, all.Months[^1].Month));
        Assert.Equal(KpiFigures.Zero, Month(all, "2025-09").Figures);
        Assert.Equal(KpiFigures.Zero, Month(all, "2026-02").Figures with { ActiveCustomers = 0 });
        Assert.Equal(KpiFigures.Zero, Month(all, "2026-06").Figures with { ActiveCustomers = 0 });
    }

    [Fact]
    public async Task Overview_MonthFigures_FollowTheCustomer360Definitions()
    {
        var all = (await Kpis.OverviewAsync(new KpiQuery(), default)).Groups.Single();

        // 2026-01: O1 = 20 + 45 = 65, one order; A's first purchase ever: new. Margin only on the P1 line: 20 − 2 × 4 = 12;
        // the P1 line's 20 of 65 gross has a cost.
        var january = Month(all, "2026-01").Figures;
        Assert.Equal((65.0, 1L, 1L, 1L, 0L), (january.NetRevenue, january.Orders, january.Buyers, january.NewCustomers, january.ReturningCustomers));
        Assert.Equal(12, january.Margin);
        Assert.Equal(20.0 / 65, january.MarginCoverage!.Value, 12);
        Assert.Equal(65, january.AverageOrderValue);

        // 2026-03: gross 10 (O2) + 100 (O3), the return O4 of 50: net 60. Orders O2 and O3 (O4 holds only a return).
        // A (first bought 2026-01) and B (first bought 2025-05) both return: repeat rate 2 / 2. AOV 60 / 2.
        var march = Month(all, "2026-03").Figures;
        Assert.Equal((60.0, 2L, 2L, 0L, 2L), (march.NetRevenue, march.Orders, march.Buyers, march.NewCustomers, march.ReturningCustomers));
        Assert.Equal(1, march.RepeatRate);
        Assert.Equal(30, march.AverageOrderValue);
        Assert.Equal(6, march.Margin);

        // 2026-05: O6 10 at 23:00 UTC on the 31st (still May), the return-only O7 of 50: net −40, one order, one buyer (A).
        var may = Month(all, "2026-05").Figures;
        Assert.Equal((-40.0, 1L, 1L, 0L, 1L), (may.NetRevenue, may.Orders, may.Buyers, may.NewCustomers, may.ReturningCustomers));
        Assert.Equal(-40, may.AverageOrderValue);
        Assert.Equal(6, may.Margin);
    }

    [Fact]
    public async Task Overview_ActiveCustomers_BoughtIn90DaysEndingAtTheMonthEnd_BothEndsIncluded()
    {
        var all = (await Kpis.OverviewAsync(new KpiQuery(), default)).Groups.Single();

        // Window [end − 89 days, end]. 2025-05..07: B (2025-05-20; 07-31 − 89 days = 05-03). 2025-08 (window from 06-03): none.
        // 2026-01, 02: A (01-10). 03: A, B (03-20; B's return of 03-25 is no purchase). 04 (from 01-31): A 03-05, B, C 04-02.
        // 05 (from 03-03): A, B, C. 06 (from 04-02, exactly 89 days before 06-30): A 05-31 and C 04-02; B not.
        var expected = new Dictionary<string, long>
        {
            ["2025-05"] = 1, ["2025-06"] = 1, ["2025-07"] = 1, ["2025-08"] = 0, ["2025-12"] = 0,
            ["2026-01"] = 1, ["2026-02"] = 1, ["2026-03"] = 2, ["2026-04"] = 3, ["2026-05"] = 3, ["2026-06"] = 2,
        };
        Assert.Equal(expected, expected.Keys.ToDictionary(m => m, m => Month(all, m).Figures.ActiveCustomers));
    }

    [Fact]
    public async Task Overview_LastFullMonth_AgainstThePreviousMonthAndTheSameMonthLastYear()
    {
        var overview = await Kpis.OverviewAsync(new KpiQuery(KpiPeriodKind.LastMonth), default);
        var c = overview.Groups.Single().Comparison;

        Assert.Equal(("2026-05", "2026-04", "2025-05"), (overview.Periods.Current.Label, overview.Periods.Previous.Label, overview.Periods.LastYear.Label));
        // May: as above. April: O5 = 30, C new, active A, B, C. May 2025: O8 = 10, B new, active B.
        Assert.Equal((-40.0, 1L, 3L, 0L, 1L), (c.Current.NetRevenue, c.Current.Orders, c.Current.ActiveCustomers, c.Current.NewCustomers, c.Current.ReturningCustomers));
        Assert.Equal((30.0, 1L, 3L, 1L, 0L), (c.Previous.NetRevenue, c.Previous.Orders, c.Previous.ActiveCustomers, c.Previous.NewCustomers, c.Previous.ReturningCustomers));
        Assert.Equal((10.0, 1L, 1L, 1L, 0L), (c.LastYear.NetRevenue, c.LastYear.Orders, c.LastYear.ActiveCustomers, c.LastYear.NewCustomers, c.LastYear.ReturningCustomers));
        // −40 against 30: −70, −233.3 %; against 10: −50, −500 %.
        var vsPrevious = KpiChange.Of(c.Current.NetRevenue, c.Previous.NetRevenue);
        Assert.Equal(-70, vsPrevious.Absolute);
        Assert.Equal(-233.333333, vsPrevious.Percent!.Value, 5);
        Assert.Equal(new KpiChange(-50, -500), KpiChange.Of(c.Current.NetRevenue, c.LastYear.NetRevenue));
    }

    [Fact]
    public async Task Overview_Periods_CountACustomerOnce_NewOnlyForAFirstPurchaseInIt()
    {
        // Last 3 full months 2026-03..05: gross 110 + 30 + 10 = 150, returns 50 + 50: net 50; orders O2, O3, O5, O6 = 4.
        // Buyers A (March and May, once), B, C = 3; new: C only (A first bought in January, B in 2025): returning 2.
        var three = (await Kpis.OverviewAsync(new KpiQuery(KpiPeriodKind.LastThreeMonths), default)).Groups.Single().Comparison;
        Assert.Equal((50.0, 4L, 3L, 1L, 2L, 3L), (three.Current.NetRevenue, three.Current.Orders, three.Current.Buyers,
            three.Current.NewCustomers, three.Current.ReturningCustomers, three.Current.ActiveCustomers));
        Assert.Equal(2.0 / 3, three.Current.RepeatRate!.Value, 12);
        Assert.Equal(12.5, three.Current.AverageOrderValue);
        Assert.Equal(30, three.Current.Margin);
        // Previous 2025-12..2026-02: O1 only. Same months of 2025: O8 only.
        Assert.Equal((65.0, 1L, 1L, 1L), (three.Previous.NetRevenue, three.Previous.Buyers, three.Previous.NewCustomers, three.Previous.ActiveCustomers));
        Assert.Equal((10.0, 1L, 1L, 1L), (three.LastYear.NetRevenue, three.LastYear.Buyers, three.LastYear.NewCustomers, three.LastYear.ActiveCustomers));

        // Year to date 2026-01..05: net 65 + 60 + 30 − 40 = 115, orders 5, buyers A, B, C; new A (January) and C; returning B.
        // Margin 12 + 6 + 18 + 6 = 42 on 20 + 10 + 30 + 10 = 70 of 215 gross with a cost. Previous 2025-08..12: nothing.
        var ytd = (await Kpis.OverviewAsync(new KpiQuery(KpiPeriodKind.YearToDate), default)).Groups.Single().Comparison;
        Assert.Equal((115.0, 5L, 3L, 2L, 1L), (ytd.Current.NetRevenue, ytd.Current.Orders, ytd.Current.Buyers, ytd.Current.NewCustomers, ytd.Current.ReturningCustomers));
        Assert.Equal(23, ytd.Current.AverageOrderValue);
        Assert.Equal(42, ytd.Current.Margin);
        Assert.Equal(70.0 / 215, ytd.Current.MarginCoverage!.Value, 12);
        Assert.Equal(KpiFigures.Zero, ytd.Previous);
        Assert.Null(ytd.Previous.RepeatRate);
        Assert.Null(ytd.Previous.Margin);
    }

    [Fact]
    public async Task Overview_SplitByRegionAndTier_GroupsAddUpToEveryone()
    {
        var byRegion = await Kpis.OverviewAsync(new KpiQuery(Split: KpiSplit.Region), default);

        Assert.Equal(["North", "South"], byRegion.Groups.Select(g => g.Name));
        // May: North is A's O6 (10), active A and C; South is B's return (−50), no order, active B.
        var north = byRegion.Groups[0].Comparison.Current;
        var south = byRegion.Groups[1].Comparison.Current;
        Assert.Equal((10.0, 1L, 2L), (north.NetRevenue, north.Orders, north.ActiveCustomers));
        Assert.Equal((-50.0, 0L, 1L), (south.NetRevenue, south.Orders, south.ActiveCustomers));
        Assert.Null(south.AverageOrderValue);
        // Churned now: North A 0.9, C 0.45 → 1 of 2; South B 0.3 → 1 of 1 (D never bought: no P(alive)).
        Assert.Equal(new KpiChurn(1, 2), byRegion.Groups[0].Churn);
        Assert.Equal(new KpiChurn(1, 1), byRegion.Groups[1].Churn);

        // C has no tier: "(unknown)", listed last.
        var byTier = await Kpis.OverviewAsync(new KpiQuery(KpiPeriodKind.LastThreeMonths, KpiSplit.Tier), default);
        Assert.Equal(["Gold", "Silver", "(unknown)"], byTier.Groups.Select(g => g.Name));
        Assert.Equal(50.0, byTier.Groups.Sum(g => g.Comparison.Current.NetRevenue), 9);
        Assert.Equal(3, byTier.Groups.Sum(g => g.Comparison.Current.Buyers));
    }

    [Fact]
    public async Task Overview_SplitByChannel_CountsTheLinesOfEachChannel_NewIsFirstOnThatChannel()
    {
        var byChannel = await Kpis.OverviewAsync(new KpiQuery(Split: KpiSplit.Channel), default);

        Assert.Equal(["app", "store", "web"], byChannel.Groups.Select(g => g.Name));
        var web = byChannel.Groups.Single(g => g.Name == "web");
        // March on the web: O2 (A, 10) and O3 (B, 100) less O4 (50). Both first bought on the web then: two new web customers.
        var march = Month(web, "2026-03").Figures;
        Assert.Equal((60.0, 2L, 2L, 2L), (march.NetRevenue, march.Orders, march.Buyers, march.NewCustomers));
        // May: the store line of A (10); the web return of B (−50).
        Assert.Equal(10.0, byChannel.Groups.Single(g => g.Name == "store").Comparison.Current.NetRevenue);
        Assert.Equal(-50.0, web.Comparison.Current.NetRevenue);
        // Churn per channel: everyone who bought on it. Web: A 0.9, B 0.3 → 1 of 2; app: C 0.45 → 1 of 1.
        Assert.Equal(new KpiChurn(1, 2), web.Churn);
        Assert.Equal(new KpiChurn(1, 1), byChannel.Groups.Single(g => g.Name == "app").Churn);
    }

    [Fact]
    public async Task Overview_SplitBySegment_ItsMembersAgainstTheRest()
    {
        await KpiFixture.AddSegmentAsync(_store);

        Assert.Equal([new KpiSegmentOption(7, "Northerners")], await Kpis.SegmentsAsync(default));
        var overview = await Kpis.OverviewAsync(new KpiQuery(KpiPeriodKind.LastThreeMonths, KpiSplit.Segment, 7), default);

        Assert.Equal("segment Northerners vs the rest, 2026-03 to 2026-05", overview.PeriodSubject);
        Assert.Equal(["Northerners", "not in Northerners"], overview.Groups.Select(g => g.Name));
        // Members A and C over 2026-03..05: 10 + 30 + 10 = 50, orders O2, O5, O6, buyers A and C, C new. The rest: B, 100 − 100 = 0.
        var inside = overview.Groups[0].Comparison.Current;
        var rest = overview.Groups[1].Comparison.Current;
        Assert.Equal((50.0, 3L, 2L, 1L, 2L), (inside.NetRevenue, inside.Orders, inside.Buyers, inside.NewCustomers, inside.ActiveCustomers));
        Assert.Equal((0.0, 1L, 1L, 0L, 1L), (rest.NetRevenue, rest.Orders, rest.Buyers, rest.NewCustomers, rest.ActiveCustomers));
        Assert.Equal(new KpiChurn(1, 2), overview.Groups[0].Churn);
        Assert.Equal(new KpiChurn(1, 1), overview.Groups[1].Churn);
    }

    [Fact]
    public async Task Overview_UnknownSegment_IsRefusedWithAMessage()
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => Kpis.OverviewAsync(new KpiQuery(Split: KpiSplit.Segment, SegmentId: 99), default));
        Assert.StartsWith("There is no segment 99.", e.Message);
    }

    [Fact]
    public async Task Overview_Churned_IsTheCurrentCountBelowOneHalf()
    {
        // B 0.3 and C 0.45 of the three buyers with a P(alive).
        Assert.Equal(new KpiChurn(2, 3), (await Kpis.OverviewAsync(new KpiQuery(), default)).Groups.Single().Churn);
    }

    [Fact]
    public async Task Job_AfterLaterImports_CellsEqualAFullRebuild()
    {
        // A new line of B in June on the app, a corrected O2 (now 2 units), and C moving to the South.
        await _store.ImportAsync(ImportKind.Transactions, """
            order_id,line_no,customer_id,ordered_at,sku,quantity,unit_price,discount,channel
            O9,1,B,2026-06-02T10:00:00Z,P1,1,10,0,app
            O2,1,A,2026-03-05T10:00:00Z,P1,2,10,0,web
            """);
        await _store.ImportAsync(ImportKind.Customers, "customer_id,region\nC,South\n");
        var incremental = await CellsAsync();

        await using (var connection = await StoreConnections.OpenAsync(_store.Location, default))
        await using (var tx = await connection.BeginWriteAsync(default))
        {
            await KpiMonthsBuilder.RebuildAsync(connection, default);
            await tx.CommitAsync();
        }

        Assert.Equal(await CellsAsync(), incremental);
        var byRegion = await Kpis.OverviewAsync(new KpiQuery(KpiPeriodKind.LastThreeMonths, KpiSplit.Region), default);
        // North is now A alone: O2 (20), O6 (10). South: B (100 − 100) and C (30).
        Assert.Equal(30.0, byRegion.Groups.Single(g => g.Name == "North").Comparison.Current.NetRevenue, 9);
        Assert.Equal(30.0, byRegion.Groups.Single(g => g.Name == "South").Comparison.Current.NetRevenue, 9);
    }

    private async Task<List<string>> CellsAsync() =>
    [
        .. await _store.RowsAsync("""
            SELECT dimension, group_name, month, previous_month, entries, buyers, round(gross, 6), round(returns, 6), orders, costed_lines,
                   round(margin, 6), round(costed_gross, 6) FROM kpi_cells WHERE entries <> 0 ORDER BY 1, 2, 3, 4
            """),
        .. await _store.RowsAsync("SELECT * FROM kpi_active_cells WHERE customers <> 0 ORDER BY 1, 2, 3, 4"),
    ];

    [Fact]
    public async Task Overview_NoKpiCellsYet_SaysNotComputed()
    {
        await _store.RowsAsync("DELETE FROM kpi_cells; DELETE FROM kpi_active_cells;");
        Assert.Equal(KpiState.NotComputed, (await Kpis.OverviewAsync(new KpiQuery(), default)).State);
    }

    [Fact]
    public async Task Overview_EmptyStore_SaysEmpty()
    {
        await using var empty = await TestStore.CreateAsync(new FixedClock(KpiFixture.Today));
        var overview = await empty.Services.GetRequiredService<KpiService>().OverviewAsync(new KpiQuery(), default);
        Assert.Equal((KpiState.Empty, 0), (overview.State, overview.Groups.Count));
    }
}
