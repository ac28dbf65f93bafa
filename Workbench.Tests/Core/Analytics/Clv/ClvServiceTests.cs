using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Import;
using Workbench.Core.Analytics.Clv;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Core.Analytics.Clv;

public sealed class ClvServiceTests : IAsyncLifetime
{
    private TestStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = await TestStore.CreateAsync();
        await _store.ImportSampleAsync(ImportKind.Customers, ImportKind.Products, ImportKind.Transactions);
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private ClvService Clv => _store.Services.GetRequiredService<ClvService>();

    [Fact]
    public async Task FitAsync_SampleRetailer_TracksActualAgainstPredictedWeekByWeek()
    {
        var calibrationEnd = new DateOnly(2026, 8, 22);
        var holdoutEnd = new DateOnly(2026, 11, 22);

        var report = (await Clv.FitAsync(calibrationEnd, holdoutEnd, default))!;

        // Actual repeat purchase days, counted independently in SQL: days after each customer's first purchase day,
        // for the customers acquired by the calibration end.
        var repeatDays = long.Parse((await _store.RowsAsync("""
            WITH days AS (SELECT customer_id, substr(ordered_at, 1, 10) d FROM order_lines WHERE quantity > 0 GROUP BY 1, 2),
                 firsts AS (SELECT customer_id, min(d) f FROM days GROUP BY 1)
            SELECT COUNT(*) FROM days JOIN firsts USING (customer_id) WHERE d > f AND f <= '2026-08-22'
            """))[0]);
        Assert.Equal(repeatDays, report.Weeks[^1].ActualCumulative);
        Assert.Equal(report.Weeks.Sum(w => w.ActualRepeats), report.Weeks[^1].ActualCumulative);

        // Week one: each customer acquired in it on day f (0-based) has t = (6 − f)/7 weeks at its last day (T's
        // convention: days between the dates ÷ 7): Σ E[X(t)].
        var start = report.Weeks[0].Start;
        var firstDays = await _store.RowsAsync("""
            SELECT min(substr(ordered_at, 1, 10)) FROM order_lines WHERE quantity > 0 GROUP BY customer_id
            """);
        var expected = firstDays
            .Select(d => DateOnly.ParseExact(d, "yyyy-MM-dd").DayNumber - start.DayNumber)
            .Where(f => f < 7)
            .Sum(f => BgNbd.ExpectedPurchases(report.Purchases.Parameters, (6 - f) / 7.0));
        Assert.Equal(expected, report.Weeks[0].PredictedCumulative, 6);

        Assert.True(report.Purchases.Parameters is { R: > 0, Alpha: > 0, A: > 0, B: > 0 });
        Assert.NotNull(report.Spend);
        Assert.InRange(report.HoldoutPredicted, report.HoldoutActual * 0.5, report.HoldoutActual * 1.5);
        // Holdout repeat days counted in SQL: after the calibration end, up to the holdout end, of the same cohort.
        var holdoutDays = long.Parse((await _store.RowsAsync("""
            WITH days AS (SELECT customer_id, substr(ordered_at, 1, 10) d FROM order_lines WHERE quantity > 0 GROUP BY 1, 2),
                 firsts AS (SELECT customer_id, min(d) f FROM days GROUP BY 1)
            SELECT COUNT(*) FROM days JOIN firsts USING (customer_id)
            WHERE d > f AND f <= '2026-08-22' AND d > '2026-08-22' AND d <= '2026-11-22'
            """))[0]);
        Assert.Equal(holdoutDays, report.HoldoutActual);
    }

    [Fact]
    public async Task FitAsync_LogLikelihood_IsTheModelsOwnAtTheFittedParameters()
    {
        var report = (await Clv.FitAsync(new DateOnly(2026, 8, 22), null, default))!;

        Assert.True(report.Purchases.LogLikelihood < 0);
        Assert.Equal(report.Customers, report.Weeks.Count > 0 ? report.Customers : 0);
        Assert.Equal(new DateOnly(2026, 8, 22), report.HoldoutEnd);
        Assert.Equal(0, report.HoldoutActual);
    }

    [Fact]
    public async Task FitAsync_CdnowWorkedExample_MeasuresTAndTxInWholeDaysToTheCalibrationEnd()
    {
        // Three customers in CDNOW's dates, calibration end 1997-09-30. K1: first 1997-02-25, repeat days 06-03 and
        // 09-29 → x = 2, t_x = 216/7 = 30.857, T = 217/7 = 31.000 weeks. K2: first 1997-03-10, two orders on 09-30
        // (the end date counts, once) → x = 1, t_x = T = 204/7. K3: one purchase on 1997-01-01 → x = 0, T = 272/7;
        // its October purchase is after the end. The fit's log-likelihood is equation (6) over exactly these histories.
        await using var store = await TestStore.CreateAsync();
        await store.ImportAsync(ImportKind.Customers, "customer_id\nK1\nK2\nK3\n");
        await store.ImportAsync(ImportKind.Products, "sku,name,category,price\nP1,Tea,Grocery,10\n");
        await store.ImportAsync(ImportKind.Transactions, """
            order_id,line_no,customer_id,ordered_at,sku,quantity,unit_price,discount,channel
            O1,1,K1,1997-02-25T10:00:00,P1,1,10,0,web
            O2,1,K1,1997-06-03T10:00:00,P1,2,10,0,web
            O3,1,K1,1997-09-29T23:00:00,P1,3,10,0,web
            O4,1,K2,1997-03-10T10:00:00,P1,1,10,0,web
            O5,1,K2,1997-09-30T09:00:00,P1,1,10,0,web
            O6,1,K2,1997-09-30T18:00:00,P1,1,10,0,web
            O7,1,K3,1997-01-01T12:00:00,P1,1,10,0,web
            O8,1,K3,1997-10-01T12:00:00,P1,1,10,0,web
            """);

        var report = (await store.Services.GetRequiredService<ClvService>().FitAsync(new DateOnly(1997, 9, 30), null, default))!;

        RepeatHistory[] byHand = [new(2, 216 / 7.0, 217 / 7.0), new(1, 204 / 7.0, 204 / 7.0), new(0, 0, 272 / 7.0)];
        Assert.Equal((3, 2), (report.Customers, report.Repeaters));
        Assert.Equal(BgNbd.LogLikelihood(report.Purchases.Parameters, byHand), report.Purchases.LogLikelihood, 9);
        Assert.Equal(30.857, byHand[0].Tx, 3);
        Assert.Equal(31.000, byHand[0].T, 3);
    }
}
