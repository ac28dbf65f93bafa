using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Import;
using Workbench.Core.Analytics.CustomerFeatures;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Core.Analytics.CustomerFeatures;

// A small fixture with every number worked out by hand in the comments; the clock stands at 2026-06-30 12:00 UTC.
public sealed class FeatureServiceTests : IAsyncLifetime
{
    private TestStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = await TestStore.CreateAsync(new FixedClock(new DateTimeOffset(2026, 6, 30, 12, 0, 0, TimeSpan.Zero)));
        await _store.ImportAsync(ImportKind.Customers, """
            customer_id,first_name,time_zone,signup_date
            A1,Ann,Europe/London,2025-01-01
            A2,Bo,,2026-01-01
            A3,Cy,Europe/London,2026-06-01
            """);
        await _store.ImportAsync(ImportKind.Products, """
            sku,name,category,price,unit_cost
            P1,Tea,Grocery,10,4
            P2,Lamp,Home,50,
            P3,Kite,Toys,20,5
            """);
        // A1 (London, BST = UTC+1): O1 Monday 08:30 local, 2×P1 with 2 off (18) + P2 (50), in store;
        // O2 and O3 Monday 15 June 17:30 and 17:15 local (evening; 16:30 and 16:15 UTC would be midday), P3 (20) and P1 (10), on the web;
        // R1 returns the lamp (−50). A2 (no time zone): O5 Tuesday 10 March 20:00, 3×P3 with 6 off (54), in the app.
        await _store.ImportAsync(ImportKind.Transactions, """
            order_id,line_no,customer_id,ordered_at,sku,quantity,unit_price,discount,channel
            O1,1,A1,2026-06-01T07:30:00,P1,2,10,2,store
            O1,2,A1,2026-06-01T07:30:00,P2,1,50,0,store
            O2,1,A1,2026-06-15T16:30:00,P3,1,20,0,web
            O3,1,A1,2026-06-15T16:15:00,P1,1,10,0,web
            R1,1,A1,2026-06-20T12:00:00,P2,-1,50,0,store
            O5,1,A2,2026-03-10T20:00:00,P3,3,20,6,app
            """);
        await _store.ImportAsync(ImportKind.Events, """
            event_id,customer_id,occurred_at,type
            E1,A1,2026-06-20T09:00:00,email_open
            E2,A1,2026-01-01T09:00:00,email_open
            E3,A1,2026-06-21T09:00:00,email_click
            E4,A2,2026-06-22T09:00:00,cart_abandon
            """);
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private FeatureService Features => _store.Services.GetRequiredService<FeatureService>();

    [Fact]
    public async Task Rebuild_BuyerWithReturnsDiscountsAndTwoOrdersOnOneDay_MatchesHandComputedFeatures()
    {
        await Features.RebuildAsync(null, default);

        var a1 = (await _store.RowsAsync("""
            SELECT orders, net_revenue, round(average_order_value, 4), first_purchase_at, last_purchase_at, recency_days, tenure_days,
                   mean_days_between_orders, expected_next_purchase_at, top_category_1, top_category_2, top_category_3, category_count,
                   round(promo_share, 5), round(store_share, 4), round(web_share, 4), app_share, favourite_weekday, favourite_daypart,
                   round(returns_rate, 4), email_opens_90d, email_clicks_90d
            FROM customer_features WHERE customer_id = 'A1'
            """)).Single();

        // orders 3 (R1 has no positive line); gross 18+50+20+10 = 98, returns 50, net 48; AOV 98/3 = 32.6667;
        // recency 30 June − 15 June = 15 days; tenure 29 days; mean gap (14 days 9 h)/2 = 7.1875 days → next 22 June 21:00;
        // categories by gross: Home 50, Grocery 28, Toys 20; promo 18/98 = 0.18367; store 1 of 3 orders, web 2 of 3;
        // Monday (0), evening (local); returns 50/98 = 0.5102; one open and one click within 90 days.
        Assert.Equal("3|48|32.6667|2026-06-01 07:30:00|2026-06-15 16:30:00|15|29|7.1875|2026-06-22 21:00:00|Home|Grocery|Toys|3|" +
                     "0.18367|0.3333|0.6667|0|0|evening|0.5102|1|1", a1);
    }

    [Fact]
    public async Task Rebuild_CategoryActivity_NetSpendShareOrdersAndLastBought()
    {
        await Features.RebuildAsync(null, default);

        // Home: bought 50, returned 50 → net 0, share of gross 50/98; Grocery 28, 28/98, orders O1 and O3; Toys 20/98.
        Assert.Equal(
            [
                "A1|Grocery|28|0.2857|2|2026-06-15 16:15:00",
                "A1|Home|0|0.5102|1|2026-06-01 07:30:00",
                "A1|Toys|20|0.2041|1|2026-06-15 16:30:00",
                "A2|Toys|54|1|1|2026-03-10 20:00:00",
            ],
            await _store.RowsAsync("SELECT customer_id, category, net_spend, round(share, 4), orders, last_bought_at FROM customer_category_activity ORDER BY 1, 2"));
    }

    [Fact]
    public async Task Rebuild_OneTimeBuyerWithoutTimeZone_AndACustomerWhoNeverBought()
    {
        await Features.RebuildAsync(null, default);

        // A2: one order of 54, all on discount, in the app; 112 days ago; Tuesday 20:00 UTC → evening; no mean gap.
        Assert.Equal("1|54|112|∅|1|0|0|1|1|evening",
            (await _store.RowsAsync("SELECT orders, net_revenue, recency_days, mean_days_between_orders, promo_share, store_share, web_share, app_share, favourite_weekday, favourite_daypart FROM customer_features WHERE customer_id = 'A2'")).Single());
        // A3 never bought: a row all the same, tenure from signup (1 June → 30 June = 29 days), no scores.
        Assert.Equal("0|0|29|∅|∅|0",
            (await _store.RowsAsync("SELECT orders, net_revenue, tenure_days, r_score, rfm_cell, category_count FROM customer_features WHERE customer_id = 'A3'")).Single());
    }

    [Fact]
    public async Task Rebuild_EventActivity_CountsPerTypeAndWithin90Days()
    {
        await Features.RebuildAsync(null, default);

        Assert.Equal(
            ["A1|email_click|1|1|2026-06-21 09:00:00", "A1|email_open|2|1|2026-06-20 09:00:00", "A2|cart_abandon|1|1|2026-06-22 09:00:00"],
            await _store.RowsAsync("SELECT customer_id, type, total, last_90d, last_at FROM customer_event_activity ORDER BY 1, 2"));
    }

    [Fact]
    public async Task Rebuild_RfmScoresOverBuyers()
    {
        await Features.RebuildAsync(null, default);

        // Two buyers: recency 15 and 112 → cut points 15, 15, 112, 112: A1 beats none (R 5), A2 beats two (R 3);
        // orders 1 and 3 → cuts 1, 1, 3, 3: A1 F 3, A2 F 1; net 48 and 54 → cuts 48, 48, 54, 54: A1 M 1, A2 M 3.
        Assert.Equal(["A1|5|3|1|531", "A2|3|1|3|313"],
            await _store.RowsAsync("SELECT customer_id, r_score, f_score, m_score, rfm_cell FROM customer_features WHERE orders > 0 ORDER BY 1"));
    }

    [Fact]
    public async Task RfmDistribution_CountsBuyersPerScoreAndCell_EmptyScoresAsZero()
    {
        await Features.RebuildAsync(null, default);

        var rfm = await Features.RfmDistributionAsync();

        // From the scores worked out above: A1 = 531, A2 = 313; A3 never bought and has no scores.
        Assert.Equal(2, rfm.Buyers);
        Assert.Equal([0L, 0, 1, 0, 1], rfm.R);
        Assert.Equal([1L, 0, 1, 0, 0], rfm.F);
        Assert.Equal([1L, 0, 1, 0, 0], rfm.M);
        Assert.Equal([("313", 1L), ("531", 1L)], rfm.Cells);
    }

    [Fact]
    public async Task ForCustomer_ReturnsTheStoredScoresAndTopCategories_NullWithoutFeatures()
    {
        await Features.RebuildAsync(null, default);

        var card = (await Features.ForCustomerAsync("A1"))!;

        Assert.Equal(("531", 5, 3, 1), (card.RfmCell, card.RScore, card.FScore, card.MScore));
        Assert.Null(await Features.ForCustomerAsync("nobody"));
        Assert.Equal(
            (await _store.RowsAsync("SELECT top_category_1 FROM customer_features WHERE customer_id = 'A1'")).Single(), card.TopCategories[0]);
    }

    [Fact]
    public async Task AfterImport_NothingChanged_FeaturesKept_AChangedRow_RecomputesThatCustomerOnly()
    {
        // Marks no computation would write: they stay while a customer's features are kept.
        await _store.RowsAsync("UPDATE customer_features SET orders = 99 WHERE customer_id IN ('A1', 'A2')");

        var same = await _store.ImportAsync(ImportKind.Events, "event_id,customer_id,occurred_at,type\nE1,A1,2026-06-20T09:00:00,email_open\n");
        Assert.Equal((0L, 0L), (same.Inserted, same.Updated));
        Assert.Equal(["99", "99"], await _store.RowsAsync("SELECT orders FROM customer_features WHERE customer_id IN ('A1', 'A2') ORDER BY customer_id"));

        // A new event of A1: A1's features are recomputed (3 orders, 2 opens), A2's are left alone.
        await _store.ImportAsync(ImportKind.Events, "event_id,customer_id,occurred_at,type\nE5,A1,2026-06-25T09:00:00,email_open\n");
        Assert.Equal(["3|2"], await _store.RowsAsync("SELECT orders, email_opens_90d FROM customer_features WHERE customer_id = 'A1'"));
        Assert.Equal(["99"], await _store.RowsAsync("SELECT orders FROM customer_features WHERE customer_id = 'A2'"));
    }

    [Fact]
    public async Task Rebuild_IsRunAfterEachImport()
    {
        // The imports in InitializeAsync ran it already: the rows are there without an explicit rebuild.
        Assert.Equal(3, await _store.CountAsync("customer_features"));
        await _store.ImportAsync(ImportKind.Customers, "customer_id\nA4\n");
        Assert.Equal(4, await _store.CountAsync("customer_features"));
    }

    [Fact]
    public async Task Rebuild_GatewaysAndCategorySteps()
    {
        await Features.RebuildAsync(null, default);
        var drivers = _store.Services.GetRequiredService<Workbench.Core.Analytics.ValueDrivers.ValueDriverService>();

        // A1 started on 1 June with Grocery and Home (29 days ago: too recent to judge a 90-day return); A2 started on
        // 10 March with Toys (112 days ago: eligible) and never came back.
        var categories = await drivers.GatewaysAsync("category", 10, default);
        Assert.Equal(["Grocery|1|0|0|48", "Home|1|0|0|48", "Toys|1|1|0|54"],
            categories.OrderBy(g => g.Key).Select(g => $"{g.Key}|{g.FirstBuyers}|{g.Eligible}|{g.Repeat90d}|{g.AverageNetRevenue}"));
        Assert.Null(categories.Single(g => g.Key == "Grocery").RepeatRate);
        Assert.Equal(0, categories.Single(g => g.Key == "Toys").RepeatRate);
        var products = await drivers.GatewaysAsync("product", 10, default);
        Assert.Equal(["P1 Tea", "P2 Lamp", "P3 Kite"], products.OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Label}"));

        // A1's next purchase day (15 June) held Toys and Grocery: each of the first day's categories steps to each.
        var matrix = await drivers.TransitionsAsync(default);
        Assert.Equal(["Grocery>Grocery 0.5", "Grocery>Toys 0.5", "Home>Grocery 0.5", "Home>Toys 0.5"],
            matrix.Cells.Select(c => $"{c.From}>{c.To} {c.ShareOfFrom}"));
        Assert.Equal(["Grocery", "Home", "Toys"], matrix.Categories);
    }

    [Fact]
    public void RepeatSummary_PurchaseDaysInWeeks()
    {
        // A1 bought on 1 June (68) and 15 June (30, two orders, one day): x = 1, t_x = 14 days = 2 weeks,
        // T = 30 June − 1 June = 29 days = 29/7 weeks, mean repeat-day value 30.
        var lines = new[]
        {
            new Workbench.Core.Customers.KpiLine("O1", new DateTime(2026, 6, 1, 7, 30, 0), "P1", 2, 10, 2, null, "G", "store"),
            new Workbench.Core.Customers.KpiLine("O1", new DateTime(2026, 6, 1, 7, 30, 0), "P2", 1, 50, 0, null, "H", "store"),
            new Workbench.Core.Customers.KpiLine("O2", new DateTime(2026, 6, 15, 16, 30, 0), "P3", 1, 20, 0, null, "T", "web"),
            new Workbench.Core.Customers.KpiLine("O3", new DateTime(2026, 6, 15, 16, 15, 0), "P1", 1, 10, 0, null, "G", "web"),
        };

        var (repeat, spend) = FeatureCalculator.RepeatSummary(lines, new DateOnly(2026, 6, 30));

        Assert.Equal(new Workbench.Core.Analytics.Clv.RepeatHistory(1, 2, 29 / 7.0), repeat);
        Assert.Equal(new Workbench.Core.Analytics.Clv.SpendHistory(1, 30), spend);
    }

    [Fact]
    public void RepeatSummary_CdnowWorkedExample_CalibrationEndNotExtendedByADay()
    {
        // The worked example in CDNOW's dates: first purchase 1997-02-25, two more purchase days, the last on
        // 1997-09-29, calibration end 1997-09-30: x = 2, t_x = 216 days ÷ 7 = 30.857 weeks, T = 217 days ÷ 7 = 31.000.
        var lines = new[]
        {
            new Workbench.Core.Customers.KpiLine("O1", new DateTime(1997, 2, 25, 10, 0, 0), "P1", 1, 10, 0, null, "G", "web"),
            new Workbench.Core.Customers.KpiLine("O2", new DateTime(1997, 6, 3, 10, 0, 0), "P1", 1, 10, 0, null, "G", "web"),
            new Workbench.Core.Customers.KpiLine("O3", new DateTime(1997, 9, 29, 23, 0, 0), "P1", 1, 10, 0, null, "G", "web"),
            new Workbench.Core.Customers.KpiLine("O4", new DateTime(1997, 10, 1, 9, 0, 0), "P1", 1, 10, 0, null, "G", "web"),
        };

        var (repeat, _) = FeatureCalculator.RepeatSummary(lines, new DateOnly(1997, 9, 30));

        Assert.Equal(2, repeat!.X);
        Assert.Equal(30.857, repeat.Tx, 3);
        Assert.Equal(31.000, repeat.T, 3);
        Assert.Equal(new Workbench.Core.Analytics.Clv.RepeatHistory(2, 216 / 7.0, 217 / 7.0), repeat);

        // A purchase on the calibration end date itself counts: x = 3 and t_x = T.
        var (onTheDay, _) = FeatureCalculator.RepeatSummary(lines, new DateOnly(1997, 10, 1));
        Assert.Equal(new Workbench.Core.Analytics.Clv.RepeatHistory(3, 218 / 7.0, 218 / 7.0), onTheDay);
    }

    [Fact]
    public async Task Rebuild_ItsPragmasDoNotReachPooledConnections()
    {
        await Features.RebuildAsync(null, default);

        // SQLite's defaults (synchronous FULL = 2, a 2,000 KiB cache), not the rebuild's NORMAL and 64 MB; the import's
        // large cache is handed back too.
        for (var i = 0; i < 3; i++)
        {
            await using var connection = await Workbench.Core.Data.StoreSql.OpenAsync(_store.Location, default);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT (SELECT synchronous FROM pragma_synchronous) || '|' || (SELECT cache_size FROM pragma_cache_size)";
            Assert.Equal("2|-2000", (string?)await command.ExecuteScalarAsync());
        }
    }
}
