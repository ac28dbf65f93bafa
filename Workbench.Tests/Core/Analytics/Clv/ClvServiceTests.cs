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

        // Week one: each customer acquired in it on day f (0-based) has t = (7 − f)/7 weeks by its end: Σ E[X(t)].
        var start = report.Weeks[0].Start;
        var firstDays = await _store.RowsAsync("""
            SELECT min(substr(ordered_at, 1, 10)) FROM order_lines WHERE quantity > 0 GROUP BY customer_id
            """);
        var expected = firstDays
            .Select(d => DateOnly.ParseExact(d, "yyyy-MM-dd").DayNumber - start.DayNumber)
            .Where(f => f < 7)
            .Sum(f => BgNbd.ExpectedPurchases(report.Purchases.Parameters, (7 - f) / 7.0));
        Assert.Equal(expected, report.Weeks[0].PredictedCumulative, 6);

        Assert.True(report.Purchases.Parameters is { R: > 0, Alpha: > 0, A: > 0, B: > 0 });
        Assert.NotNull(report.Spend);
        Assert.InRange(report.HoldoutPredicted, report.HoldoutActual * 0.5, report.HoldoutActual * 1.5);
        Assert.Equal(report.Weeks.Where(w => w.Start > calibrationEnd).Sum(w => w.ActualRepeats), report.HoldoutActual);
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
}
